//! A scripted stand-in for a transport: it records every request's parameters and answers from a
//! script or a function. Each client's tests wrap a [`Script`] in their own `HttpSend`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::VecDeque;
use std::sync::Mutex;

use cvm_proto::HttpRequest;
use cvm_proto::HttpResponse;
use cvm_proto::Params;
use cvm_proto::TransportError;

use crate::setup::params_of;

/// One scripted outcome of an attempt.
#[derive(Debug, Clone)]
pub enum Answer {
    /// An HTTP reply.
    Reply(HttpResponse),
    /// A failure below HTTP.
    Fail(TransportError),
}

/// An HTTP reply with `status`, a JSON content type and `body`.
pub fn reply(status: u16, body: &str) -> Answer {
    Answer::Reply(HttpResponse {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
    })
}

/// A 200 reply whose `Response` object is `response`.
pub fn ok(response: &str) -> Answer {
    reply(200, &format!(r#"{{"Response":{}}}"#, response))
}

/// A 200 reply carrying the API error `code`.
pub fn api_error(code: &str, message: &str) -> Answer {
    ok(&format!(
        r#"{{"Error":{{"Code":"{code}","Message":"{message}"}},"RequestId":"req-err"}}"#
    ))
}

/// A failure below HTTP: a timeout or a reset connection.
pub fn fail(maybe_sent: bool, timed_out: bool) -> Answer {
    Answer::Fail(TransportError {
        maybe_sent,
        timed_out,
        message: if timed_out {
            "timeout: global".into()
        } else {
            "io: connection reset".into()
        },
    })
}

type Responder = Box<dyn Fn(&Params) -> Answer + Send + Sync>;

/// Records every request's decoded parameters and answers from a script or a function.
pub struct Script {
    script: Mutex<VecDeque<Answer>>,
    responder: Option<Responder>,
    seen: Mutex<Vec<Params>>,
}

impl std::fmt::Debug for Script {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Script")
            .field("attempts", &self.attempts())
            .finish_non_exhaustive()
    }
}

impl Script {
    /// Answers with `answers`, in order; running out fails the test.
    pub fn new(answers: impl IntoIterator<Item = Answer>) -> Self {
        Self {
            script: Mutex::new(answers.into_iter().collect()),
            responder: None,
            seen: Mutex::new(Vec::new()),
        }
    }

    /// Answers each request with `responder(params)`.
    pub fn with(responder: impl Fn(&Params) -> Answer + Send + Sync + 'static) -> Self {
        Self {
            script: Mutex::new(VecDeque::new()),
            responder: Some(Box::new(responder)),
            seen: Mutex::new(Vec::new()),
        }
    }

    /// The parameters of every attempt so far.
    pub fn sent(&self) -> Vec<Params> {
        self.seen.lock().unwrap().clone()
    }

    /// How many attempts were made.
    pub fn attempts(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    /// Records `request` and answers it as a transport would, the body cut at `body_limit + 1`.
    pub fn answer(
        &self,
        request: &HttpRequest,
        body_limit: usize,
    ) -> Result<HttpResponse, TransportError> {
        let params = params_of(request);
        self.seen.lock().unwrap().push(params.clone());
        let answer = match &self.responder {
            Some(f) => f(&params),
            None => self
                .script
                .lock()
                .unwrap()
                .pop_front()
                .expect("the script ran out of answers"),
        };
        match answer {
            Answer::Reply(mut r) => {
                r.body.truncate(body_limit.saturating_add(1));
                Ok(r)
            }
            Answer::Fail(e) => Err(e),
        }
    }
}
