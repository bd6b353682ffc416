//! Paging through listings as a `Stream` of items, driven by cvm-proto's `Paginator`.

use std::collections::VecDeque;

use cvm_proto::{Paginated, Paginator};
use futures_util::stream::{self, Stream};

use crate::{Client, Error};

struct State<R: Paginated> {
    request: R,
    paginator: Paginator,
    buffer: VecDeque<R::Item>,
    failed: bool,
}

impl Client {
    /// Every item of a listing (`DescribeInstances`, `DescribeInstancesStatus`, `DescribeImages`),
    /// fetching pages as the stream is polled; a failed page ends the stream with that error.
    pub fn paginate<R>(&self, request: R) -> impl Stream<Item = Result<R::Item, Error>> + Send + '_
    where
        R: Paginated + Send + Sync + 'static,
        R::Item: Send,
        R::Output: Send,
    {
        let state = State {
            paginator: Paginator::for_request(&request),
            request,
            buffer: VecDeque::new(),
            failed: false,
        };
        stream::unfold(state, move |mut s| async move {
            loop {
                if let Some(item) = s.buffer.pop_front() {
                    return Some((Ok(item), s));
                }
                if s.failed {
                    return None;
                }
                let page = s.paginator.next_page()?;
                s.request.set_page(page);
                match self.call(&s.request).await {
                    Ok(reply) => {
                        let (items, total) = R::into_items(reply.output);
                        let fresh = s.paginator.on_page(items, total, R::id);
                        s.buffer.extend(fresh);
                    }
                    Err(e) => {
                        s.failed = true;
                        return Some((Err(e), s));
                    }
                }
            }
        })
    }
}
