//! Batches through an in-memory transport on paused time: the shared back-off, the bound on
//! calls in flight, input order, and cancellation.
#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cvm_async::proto::HttpRequest;
use cvm_async::{Client, HttpSend, RetryPolicy, SendFuture};
use cvm_test_support::prelude::{api_error, creds, ok, params_of, Answer};
use serde_json::json;
use tokio::time::{sleep, Instant};

type Answerer = dyn Fn(usize, u64) -> (Duration, Answer) + Send + Sync;

/// Answers each attempt from `answer(attempt number, "Index" parameter)` after the delay it gives,
/// logging when each attempt began and counting attempts in flight.
struct Scripted {
    answer: Box<Answerer>,
    log: Mutex<Vec<(Instant, u64)>>,
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
}

impl Scripted {
    fn new(answer: impl Fn(usize, u64) -> (Duration, Answer) + Send + Sync + 'static) -> Arc<Self> {
        Arc::new(Self {
            answer: Box::new(answer),
            log: Mutex::new(Vec::new()),
            in_flight: AtomicUsize::new(0),
            most_in_flight: AtomicUsize::new(0),
        })
    }

    fn log(&self) -> Vec<(Instant, u64)> {
        self.log.lock().unwrap().clone()
    }
}

impl HttpSend for Scripted {
    fn send<'a>(&'a self, request: &'a HttpRequest, _body_limit: usize) -> SendFuture<'a> {
        let index = params_of(request).get("Index").unwrap().parse().unwrap();
        let attempt = {
            let mut log = self.log.lock().unwrap();
            log.push((Instant::now(), index));
            log.len() - 1
        };
        let (delay, answer) = (self.answer)(attempt, index);
        Box::pin(async move {
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.most_in_flight.fetch_max(now, Ordering::SeqCst);
            // Counted out when the send ends or is dropped (a cancelled call), not only on return.
            let _out = InFlight(&self.in_flight);
            sleep(delay).await;
            match answer {
                Answer::Reply(reply) => Ok(reply),
                Answer::Fail(e) => Err(e),
            }
        })
    }
}

fn zones(index: u64) -> Answer {
    ok(&format!(
        r#"{{"TotalCount":0,"ZoneSet":[],"RequestId":"req-{index}"}}"#
    ))
}

fn client(transport: &Arc<Scripted>) -> Client {
    Client::builder()
        .credentials(creds())
        .region("ap-guangzhou")
        .retry({
            let mut v = RetryPolicy::default();
            v.max_attempts = 5;
            v.base_delay = Duration::from_secs(1);
            v.max_delay = Duration::from_secs(1);
            v.deadline = Duration::from_secs(60);
            v
        })
        .transport(Arc::clone(transport))
        .build()
        .unwrap()
}

/// Takes one send out of the in-flight count when dropped.
struct InFlight<'a>(&'a AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A batch of `DescribeZones` calls, each with its index as a parameter.
async fn describe(client: &Client, calls: u64, max_in_flight: usize) -> Vec<String> {
    let replies = client
        .batch(0..calls, max_in_flight, |c, i| async move {
            c.call_json("DescribeZones", &json!({ "Index": i })).await
        })
        .await;
    replies.into_iter().map(|r| r.unwrap().request_id).collect()
}

/// Throttles the very first attempt and answers every other one, each after 10 ms.
fn throttled_once() -> Arc<Scripted> {
    Scripted::new(|attempt, index| {
        let answer = if attempt == 0 {
            api_error("RequestLimitExceeded", "slow down")
        } else {
            zones(index)
        };
        (Duration::from_millis(10), answer)
    })
}

#[tokio::test(start_paused = true)]
async fn a_throttled_call_pauses_the_whole_batch() {
    let transport = throttled_once();
    let start = Instant::now();
    let ids = describe(&client(&transport), 12, 4).await;
    assert_eq!(ids.len(), 12);
    let log = transport.log();
    assert_eq!(log.len(), 13);
    // The first attempt was throttled; its retry is the second attempt of index 0.
    let retry = log.iter().skip(1).find(|(_, i)| *i == 0).unwrap().0;
    let early: Vec<_> = log[1..]
        .iter()
        .filter(|(at, _)| *at > start + Duration::from_millis(10) && *at < retry)
        .collect();
    assert!(early.is_empty(), "sent during the back-off: {early:?}");

    // Calls outside a batch each keep their own back-off.
    let transport = throttled_once();
    let c = client(&transport);
    let start_alone = Instant::now();
    let (a, b) = tokio::join!(
        async {
            sleep(Duration::from_millis(20)).await;
            c.call_json("DescribeZones", &json!({"Index": 1})).await
        },
        c.call_json("DescribeZones", &json!({"Index": 0}))
    );
    a.unwrap();
    b.unwrap();
    let log = transport.log();
    let second = log.iter().find(|(_, i)| *i == 1).unwrap().0;
    assert_eq!(second - start_alone, Duration::from_millis(20), "{log:?}");
}

#[tokio::test(start_paused = true)]
async fn a_batch_bounds_calls_in_flight_and_keeps_input_order() {
    // Later calls answer sooner, so they finish first.
    let transport = Scripted::new(|_, index| (Duration::from_millis(100 - index), zones(index)));
    let ids = describe(&client(&transport), 40, 6).await;
    let expected: Vec<String> = (0..40).map(|i| format!("req-{i}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(transport.most_in_flight.load(Ordering::SeqCst), 6);
    assert_eq!(transport.log().len(), 40);
    // Zero means one at a time.
    let transport = Scripted::new(|_, index| (Duration::from_millis(5), zones(index)));
    describe(&client(&transport), 5, 0).await;
    assert_eq!(transport.most_in_flight.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn dropping_a_batch_stops_every_call() {
    let transport = Scripted::new(|_, _| {
        let answer = api_error("RequestLimitExceeded", "slow down");
        (Duration::from_millis(10), answer)
    });
    let c = client(&transport);
    let batch = describe(&c, 50, 8);
    assert!(tokio::time::timeout(Duration::from_millis(1500), batch)
        .await
        .is_err());
    let sent = transport.log().len();
    assert!(sent >= 8, "{sent}");
    sleep(Duration::from_secs(60)).await;
    assert_eq!(transport.log().len(), sent);
    assert_eq!(transport.in_flight.load(Ordering::SeqCst), 0);
}
