//! Paging through listings: iterators over items or pages, driven by cvm-proto's `Paginator`.

use std::collections::VecDeque;

use cvm_proto::{Paginated, Paginator};

use crate::{Client, Error};

/// An iterator over every item of a listing, fetching pages as needed; a failed page ends it with that error.
pub struct Items<'c, R: Paginated> {
    pages: Pages<'c, R>,
    buffer: VecDeque<R::Item>,
}

impl<R: Paginated> std::fmt::Debug for Items<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<R: Paginated> std::fmt::Debug for Pages<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("paginator", &self.paginator)
            .field("failed", &self.failed)
            .finish_non_exhaustive()
    }
}

/// An iterator over the pages of a listing (each page holds only items not yielded before).
pub struct Pages<'c, R: Paginated> {
    client: &'c Client,
    request: R,
    paginator: Paginator,
    failed: bool,
}

impl Client {
    /// Every item of a listing (`DescribeInstances`, `DescribeInstancesStatus`, `DescribeImages`), page by page.
    pub fn paginate<R: Paginated>(&self, request: R) -> Items<'_, R> {
        Items {
            pages: self.pages(request),
            buffer: VecDeque::new(),
        }
    }

    /// The pages of a listing, with the request's `Limit` as page size (100 when unset).
    pub fn pages<R: Paginated>(&self, request: R) -> Pages<'_, R> {
        Pages {
            client: self,
            paginator: Paginator::for_request(&request),
            request,
            failed: false,
        }
    }
}

impl<R: Paginated> Pages<'_, R> {
    /// The paging state: pages taken and the last `TotalCount`.
    pub fn paginator(&self) -> &Paginator {
        &self.paginator
    }
}

impl<R: Paginated> Iterator for Pages<'_, R> {
    type Item = Result<Vec<R::Item>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let page = self.paginator.next_page()?;
        self.request.set_page(page);
        match self.client.call(&self.request) {
            Ok(reply) => {
                let (items, total) = R::into_items(reply.output);
                Some(Ok(self.paginator.on_page(items, total, R::id)))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

impl<R: Paginated> Iterator for Items<'_, R> {
    type Item = Result<R::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Some(Ok(item));
            }
            match self.pages.next()? {
                Ok(items) => self.buffer.extend(items),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}
