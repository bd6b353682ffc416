//! Paging through `Offset`/`Limit`/`TotalCount` listings: a pure step function.
//!
//! Offset paging is not a snapshot: when items before the cursor disappear between two requests,
//! later items shift left, and a plain `offset += limit` would skip them; when items are added
//! before the cursor, items shift right and would be seen twice. The [`Paginator`] overlaps each
//! page with the end of the previous one and drops items it has already yielded (by id), so no
//! item is repeated, and none is skipped as long as fewer than `overlap` items before the cursor
//! vanish between two consecutive page requests. Items created while paging are yielded when they
//! sort after the cursor (the service lists in creation order), and not otherwise.

use std::collections::HashSet;

use crate::action::Action;
use crate::models::{
    DescribeImagesRequest, DescribeImagesResponse, DescribeInstancesRequest,
    DescribeInstancesResponse, DescribeInstancesStatusRequest, DescribeInstancesStatusResponse,
    Image, Instance, InstanceStatus,
};

/// The most items one page may hold (`Limit` max for DescribeInstances, DescribeInstancesStatus, DescribeImages).
pub const MAX_LIMIT: u32 = 100;

/// The next request's `Offset` and `Limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// The `Offset` parameter.
    pub offset: u64,
    /// The `Limit` parameter.
    pub limit: u32,
}

/// The state of one listing: where the next page starts, which ids were yielded, whether it is over.
#[derive(Debug, Clone)]
pub struct Paginator {
    limit: u32,
    overlap: u32,
    next: u64,
    seen: HashSet<String>,
    total: Option<u64>,
    pages: u32,
    done: bool,
}

impl Paginator {
    /// A listing with pages of `limit` items (clamped to 1..=100) and an overlap of a tenth of a page.
    pub fn new(limit: u32) -> Self {
        let limit = limit.clamp(1, MAX_LIMIT);
        Self::with_overlap(limit, limit / 10)
    }

    /// A listing with an explicit overlap (clamped below `limit`, so every page makes progress).
    pub fn with_overlap(limit: u32, overlap: u32) -> Self {
        let limit = limit.clamp(1, MAX_LIMIT);
        Self {
            limit,
            overlap: overlap.min(limit - 1),
            next: 0,
            seen: HashSet::new(),
            total: None,
            pages: 0,
            done: false,
        }
    }

    /// The page to request next, or `None` when the listing is complete.
    pub fn next_page(&self) -> Option<Page> {
        (!self.done).then_some(Page {
            offset: self.next,
            limit: self.limit,
        })
    }

    /// The last `TotalCount` the service reported.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// How many pages have been taken.
    pub fn pages(&self) -> u32 {
        self.pages
    }

    /// Takes the page requested by [`Paginator::next_page`] with the service's `TotalCount`, and returns
    /// the items not yielded before, in order. `id` names each item (e.g. its `InstanceId`).
    pub fn on_page<T>(
        &mut self,
        items: Vec<T>,
        total: u64,
        id: impl Fn(&T) -> Option<&str>,
    ) -> Vec<T> {
        self.pages += 1;
        self.total = Some(total);
        let received = items.len() as u64;
        let fresh: Vec<T> = items
            .into_iter()
            .filter(|item| match id(item) {
                Some(key) => self.seen.insert(key.to_owned()),
                // An item without an id cannot be deduplicated; yield it.
                None => true,
            })
            .collect();
        let end = self.next + received;
        if received == 0 || end >= total || received < u64::from(self.limit) {
            self.done = true;
        } else {
            self.next = end - u64::from(self.overlap);
        }
        fresh
    }
}

/// A listing action paged by `Offset`/`Limit`, whose reply carries `TotalCount` and a list of items with ids.
pub trait Paginated: Action + Clone {
    /// One listed item.
    type Item;

    /// Sets the request's `Offset` and `Limit`.
    fn set_page(&mut self, page: Page);

    /// The `Limit` the caller asked for, if any, as the page size.
    fn page_size(&self) -> Option<u32>;

    /// Splits a reply into its items and its `TotalCount` (a negative or absent total counts as the items received).
    fn into_items(output: Self::Output) -> (Vec<Self::Item>, u64);

    /// The item's id, used to drop repeats.
    fn id(item: &Self::Item) -> Option<&str>;
}

fn total(count: Option<i64>, received: usize) -> u64 {
    count
        .and_then(|c| u64::try_from(c).ok())
        .unwrap_or(received as u64)
}

fn size(limit: Option<i64>) -> Option<u32> {
    limit.and_then(|l| u32::try_from(l).ok())
}

impl Paginated for DescribeInstancesRequest {
    type Item = Instance;

    fn set_page(&mut self, page: Page) {
        self.offset = i64::try_from(page.offset).ok();
        self.limit = Some(i64::from(page.limit));
    }

    fn page_size(&self) -> Option<u32> {
        size(self.limit)
    }

    fn into_items(output: DescribeInstancesResponse) -> (Vec<Instance>, u64) {
        let n = output.instance_set.len();
        (output.instance_set, total(output.total_count, n))
    }

    fn id(item: &Instance) -> Option<&str> {
        item.instance_id.as_deref()
    }
}

impl Paginated for DescribeInstancesStatusRequest {
    type Item = InstanceStatus;

    fn set_page(&mut self, page: Page) {
        self.offset = i64::try_from(page.offset).ok();
        self.limit = Some(i64::from(page.limit));
    }

    fn page_size(&self) -> Option<u32> {
        size(self.limit)
    }

    fn into_items(output: DescribeInstancesStatusResponse) -> (Vec<InstanceStatus>, u64) {
        let n = output.instance_status_set.len();
        (output.instance_status_set, total(output.total_count, n))
    }

    fn id(item: &InstanceStatus) -> Option<&str> {
        item.instance_id.as_deref()
    }
}

impl Paginated for DescribeImagesRequest {
    type Item = Image;

    fn set_page(&mut self, page: Page) {
        self.offset = Some(page.offset);
        self.limit = Some(u64::from(page.limit));
    }

    fn page_size(&self) -> Option<u32> {
        self.limit.and_then(|l| u32::try_from(l).ok())
    }

    fn into_items(output: DescribeImagesResponse) -> (Vec<Image>, u64) {
        let n = output.image_set.len();
        (output.image_set, total(output.total_count, n))
    }

    fn id(item: &Image) -> Option<&str> {
        item.image_id.as_deref()
    }
}

impl Paginator {
    /// A paginator sized by the request's own `Limit` (100 when it has none).
    pub fn for_request<R: Paginated>(request: &R) -> Self {
        Paginator::new(request.page_size().unwrap_or(MAX_LIMIT))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A listing in creation order, paged as the service does.
    fn page(items: &[String], p: Page) -> (Vec<String>, u64) {
        let start = (p.offset as usize).min(items.len());
        let end = (start + p.limit as usize).min(items.len());
        (items[start..end].to_vec(), items.len() as u64)
    }

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("ins-{i:08}")).collect()
    }

    fn drain(
        items: &mut Vec<String>,
        p: &mut Paginator,
        mut between: impl FnMut(&mut Vec<String>, u32),
    ) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(next) = p.next_page() {
            let (got, total) = page(items, next);
            out.extend(p.on_page(got, total, |s| Some(s.as_str())));
            between(items, p.pages());
            assert!(p.pages() < 1000, "runaway paging");
        }
        out
    }

    #[test]
    fn every_item_exactly_once_on_a_still_listing() {
        for n in [0, 1, 99, 100, 101, 250, 1000] {
            let mut items = ids(n);
            let mut p = Paginator::new(100);
            let out = drain(&mut items, &mut p, |_, _| {});
            assert_eq!(out, ids(n), "{n}");
        }
        let mut p = Paginator::new(100);
        assert_eq!(
            p.next_page(),
            Some(Page {
                offset: 0,
                limit: 100
            })
        );
        p.on_page(ids(100), 250, |s| Some(s.as_str()));
        assert_eq!(
            p.next_page(),
            Some(Page {
                offset: 90,
                limit: 100
            })
        );
    }

    #[test]
    fn deletions_before_the_cursor_skip_nothing() {
        let mut items = ids(250);
        let original = items.clone();
        let mut p = Paginator::new(100);
        // After each page, 5 items near the start vanish (fewer than the overlap of 10).
        let out = drain(&mut items, &mut p, |items, _| {
            for _ in 0..5 {
                if items.len() > 5 {
                    items.remove(1);
                }
            }
        });
        let unique: HashSet<&String> = out.iter().collect();
        assert_eq!(unique.len(), out.len(), "no repeats");
        // Every item that was never deleted is listed.
        for id in original.iter().filter(|id| items.contains(id)) {
            assert!(out.contains(id), "{id} skipped");
        }
    }

    #[test]
    fn additions_are_listed_once() {
        let mut items = ids(250);
        let mut p = Paginator::new(100);
        let out = drain(&mut items, &mut p, |items, page| {
            items.push(format!("new-{page}"));
            // An insertion before the cursor shifts items right: they must not repeat.
            items.insert(0, format!("early-{page}"));
        });
        let unique: HashSet<&String> = out.iter().collect();
        assert_eq!(unique.len(), out.len());
        for id in ids(250) {
            assert!(out.contains(&id), "{id} skipped");
        }
    }

    #[test]
    fn limits_are_clamped_and_progress_is_certain() {
        assert_eq!(
            Paginator::new(0).next_page(),
            Some(Page {
                offset: 0,
                limit: 1
            })
        );
        assert_eq!(Paginator::new(1000).next_page().unwrap().limit, 100);
        let mut p = Paginator::with_overlap(5, 50);
        p.on_page(ids(5), 100, |s| Some(s.as_str()));
        assert_eq!(
            p.next_page(),
            Some(Page {
                offset: 1,
                limit: 5
            })
        );
        let mut empty = Paginator::new(10);
        assert!(empty
            .on_page(Vec::<String>::new(), 50, |s| Some(s.as_str()))
            .is_empty());
        assert_eq!(empty.next_page(), None);
    }
}
