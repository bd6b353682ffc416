//! How results reach people and scripts: one JSON document per command, shown as JSON, a table
//! or tab-separated text, optionally narrowed by a JMESPath `--query`; errors on stderr with an
//! exit status per class; progress on stderr when it is a terminal.
//!
//! Every command that talks to the service builds its document the same way: the content of the
//! service's `Response` object, `RequestId` included (see [`response`]), plus `Instances` (each
//! instance's id and final state) for the commands that wait. JSON output is that document,
//! byte for byte the same on a terminal and in a pipe; `--query` is applied to it first.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::ValueEnum;
use cvm_blocking::ErrorClass;
use serde_json::{Map, Value};
use unicode_width::UnicodeWidthStr;

/// The exit status when the service answered with an API error (or a wait cannot succeed).
pub(crate) const EXIT_API: u8 = 1;
/// The exit status for usage or input errors.
pub(crate) const EXIT_USAGE: u8 = 2;
/// The exit status for transport failures and timeouts.
pub(crate) const EXIT_TRANSPORT: u8 = 3;
/// The exit status when a call may have taken effect but its result is unknown; the message
/// names the ClientToken that recovers it.
pub(crate) const EXIT_UNCONFIRMED: u8 = 4;

/// The `--output` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Aligned columns with a header, for people.
    Table,
    /// The command's JSON document, for scripts.
    Json,
    /// Tab-separated values, one line per item, for `cut` and `while read`.
    Text,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        <Self as ValueEnum>::from_str(s, true)
            .map_err(|_| format!("output must be json, table or text, not {s:?}"))
    }
}

/// A compiled `--query` expression (JMESPath).
pub(crate) struct Query {
    text: String,
    expression: jmespath::Expression<'static>,
}

impl std::fmt::Debug for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Query").field(&self.text).finish()
    }
}

impl Query {
    /// Compiles `text`; a syntax error is a usage error of one line naming the position.
    pub(crate) fn compile(text: &str) -> Result<Self, Failure> {
        let expression = jmespath::compile(text).map_err(|e| {
            Failure::usage(format!(
                "--query {text:?} is not a valid JMESPath expression: {} at character {}",
                e.reason, e.offset
            ))
        })?;
        Ok(Self {
            text: text.to_owned(),
            expression,
        })
    }

    /// The expression applied to `value`; an error while evaluating it (e.g. a function given
    /// the wrong type) is a usage error.
    pub(crate) fn apply(&self, value: &Value) -> Result<Value, Failure> {
        let found = self
            .expression
            .search(value)
            .map_err(|e| Failure::usage(format!("--query {:?} failed: {}", self.text, e.reason)))?;
        serde_json::to_value(&*found).map_err(|e| Failure::usage(e.to_string()))
    }
}

/// Where output goes and in which form.
#[derive(Debug)]
pub(crate) struct Output {
    /// Table, JSON or text.
    pub format: Format,
    /// The `--query` applied before output.
    pub query: Option<Query>,
    /// Whether progress may be drawn: stderr is a terminal and `--quiet` was not given.
    pub progress: bool,
    /// `--quiet`: no progress and no hints on stderr.
    pub quiet: bool,
}

impl Output {
    /// The output for the flags: `--output`, else `configured` (the profile's `output`), else
    /// tables on a terminal and JSON when stdout is piped. Progress is drawn whenever stderr is
    /// a terminal, unless `quiet`.
    pub(crate) fn detect(
        choice: Option<Format>,
        configured: Option<Format>,
        query: Option<Query>,
        quiet: bool,
    ) -> Self {
        let format = choice
            .or(configured)
            .unwrap_or(if std::io::stdout().is_terminal() {
                Format::Table
            } else {
                Format::Json
            });
        Self {
            format,
            query,
            progress: !quiet && std::io::stderr().is_terminal(),
            quiet,
        }
    }

    /// Whether JSON is wanted.
    pub(crate) fn json(&self) -> bool {
        self.format == Format::Json
    }

    /// Prints a command's document: `--query` applied, then as JSON, text, or a table (`view`
    /// when the document is shown whole, a generic layout otherwise).
    pub(crate) fn emit(&self, doc: &Value, view: Option<&View>) -> Result<(), Failure> {
        let (shown, view) = match &self.query {
            Some(q) => (q.apply(doc)?, None),
            None => (doc.clone(), view),
        };
        // A document without the view's list (e.g. `cvm stop` without --wait) is shown whole.
        let view = view.filter(|v| shown.get(v.list).is_some());
        match self.format {
            Format::Json => print_json(&shown),
            Format::Text => {
                let lines = match view {
                    Some(v) => v.rows(&shown).iter().map(|r| r.join("\t")).collect(),
                    None => text_lines(&shown),
                };
                let mut out = String::new();
                for line in lines {
                    out.push_str(&line);
                    out.push('\n');
                }
                write_out(format_args!("{out}"));
                Ok(())
            }
            Format::Table => {
                let text = match view {
                    Some(v) => table(&v.header(), &v.rows(&shown)),
                    _ => generic_table(&shown),
                };
                write_out(format_args!("{text}"));
                Ok(())
            }
        }
    }

    /// A hint for people on stderr (e.g. "2 of 3"), unless `--quiet`.
    pub(crate) fn hint(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }
}

/// The document of a reply: the content of `Response`, `RequestId` included.
pub(crate) fn response(output: &impl serde::Serialize, request_id: &str) -> Result<Value, Failure> {
    let mut value = serde_json::to_value(output).map_err(|e| Failure::usage(e.to_string()))?;
    match &mut value {
        Value::Object(map) => {
            map.insert("RequestId".into(), Value::String(request_id.to_owned()));
            Ok(value)
        }
        _ => {
            let mut map = Map::new();
            map.insert("RequestId".into(), Value::String(request_id.to_owned()));
            Ok(Value::Object(map))
        }
    }
}

/// How a command's document is shown as a table (and as text without `--query`): one row per
/// element of the list under `list`, one column per `(HEADER, path)`; a path is dot-separated
/// keys (empty for the item itself), and a list of scalars is joined by commas.
#[derive(Debug)]
pub(crate) struct View {
    /// The key of the listed items in the document, e.g. `InstanceSet`.
    pub list: &'static str,
    /// Column headers and the path of each column's value in an item.
    pub columns: &'static [(&'static str, &'static str)],
}

impl View {
    fn header(&self) -> Vec<&str> {
        self.columns.iter().map(|(h, _)| *h).collect()
    }

    /// The rows of `doc`'s list.
    pub(crate) fn rows(&self, doc: &Value) -> Vec<Vec<String>> {
        let items = doc.get(self.list).and_then(Value::as_array);
        items
            .map(|items| {
                items
                    .iter()
                    .map(|item| {
                        self.columns
                            .iter()
                            .map(|(_, path)| {
                                let v = if path.is_empty() {
                                    Some(item)
                                } else {
                                    path.split('.').try_fold(item, |v, k| v.get(k))
                                };
                                v.map(cell).unwrap_or_default()
                            })
                            .collect()
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The view of the `Instances` list that waiting commands add.
pub(crate) const INSTANCES_VIEW: View = View {
    list: "Instances",
    columns: &[("ID", "InstanceId"), ("STATE", "InstanceState")],
};

/// A value as one cell or field: strings bare, null empty, a list of scalars joined by commas,
/// anything else compact JSON. Tabs and newlines become spaces so that rows stay rows.
pub(crate) fn cell(value: &Value) -> String {
    let text = match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(_) | Value::Number(_) => value.to_string(),
        Value::Array(items) if items.iter().all(is_scalar) => {
            items.iter().map(cell).collect::<Vec<_>>().join(",")
        }
        _ => value.to_string(),
    };
    text.replace(['\t', '\n', '\r'], " ")
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// Whether a value fits in one cell: a scalar or a list of scalars.
fn is_flat(value: &Value) -> bool {
    match value {
        Value::Array(items) => items.iter().all(is_scalar),
        Value::Object(_) => false,
        _ => true,
    }
}

/// The flat values of an object (in key order) or a list, as the fields of one row.
fn fields(value: &Value) -> Vec<String> {
    match value {
        Value::Object(map) => map.values().filter(|v| is_flat(v)).map(cell).collect(),
        Value::Array(items) => items.iter().filter(|v| is_flat(v)).map(cell).collect(),
        other => vec![cell(other)],
    }
}

/// The text form of a value: a scalar is one line; a list is one line per element (an object's
/// or a list's flat values tab-separated); an object is one line of its flat values, followed
/// by the lines of each list it holds that is not flat.
pub(crate) fn text_lines(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().map(|i| fields(i).join("\t")).collect(),
        Value::Object(map) => {
            let mut lines = Vec::new();
            let own = fields(value);
            if !own.is_empty() {
                lines.push(own.join("\t"));
            }
            for v in map.values().filter(|v| !is_flat(v)) {
                lines.extend(text_lines(v));
            }
            lines
        }
        scalar => vec![cell(scalar)],
    }
}

/// A table for any value: a list of objects gets a column per flat key; a list of lists or
/// scalars gets rows without a header; an object gets KEY/VALUE rows for its flat values,
/// then a table for each list or object it holds; a scalar is itself.
pub(crate) fn generic_table(value: &Value) -> String {
    match value {
        Value::Array(items) if items.iter().all(Value::is_object) && !items.is_empty() => {
            let mut keys: Vec<&str> = Vec::new();
            for item in items.iter().filter_map(Value::as_object) {
                for (k, v) in item {
                    if is_flat(v) && !keys.contains(&k.as_str()) {
                        keys.push(k);
                    }
                }
            }
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|i| {
                    keys.iter()
                        .map(|k| i.get(*k).map(cell).unwrap_or_default())
                        .collect()
                })
                .collect();
            table(&keys, &rows)
        }
        Value::Array(items) => {
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|i| match i {
                    Value::Array(_) => fields(i),
                    other => vec![cell(other)],
                })
                .collect();
            columns(&rows)
        }
        Value::Object(map) => {
            let rows: Vec<Vec<String>> = map
                .iter()
                .filter(|(_, v)| is_flat(v))
                .map(|(k, v)| vec![k.clone(), cell(v)])
                .collect();
            let mut out = columns(&rows);
            for (k, v) in map.iter().filter(|(_, v)| !is_flat(v)) {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&format!("{k}:\n"));
                out.push_str(&generic_table(v));
            }
            out
        }
        scalar => format!("{}\n", cell(scalar)),
    }
}

/// A failure that ends the command: an exit status and a one-line message for stderr.
#[derive(Debug)]
pub struct Failure {
    /// The exit status.
    pub status: u8,
    /// The message, one line.
    pub message: String,
}

impl Failure {
    /// A usage or input error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            status: EXIT_USAGE,
            message: message.into(),
        }
    }

    /// Reports the failure on stderr and returns its exit status.
    pub fn report(self) -> ExitCode {
        let line = self.message.replace(['\n', '\r'], " ");
        eprintln!("{line}");
        ExitCode::from(self.status)
    }
}

impl From<cvm_blocking::Error> for Failure {
    fn from(e: cvm_blocking::Error) -> Self {
        let status = match e.class() {
            ErrorClass::Usage => EXIT_USAGE,
            ErrorClass::Api | ErrorClass::WaitFailed => EXIT_API,
            ErrorClass::Unconfirmed => EXIT_UNCONFIRMED,
            _ => EXIT_TRANSPORT,
        };
        Self {
            status,
            message: e.to_string(),
        }
    }
}

/// Writes formatted text to stdout; a closed pipe (`cvm ... | head`) ends the program quietly,
/// and any other write error ends it with exit status 3.
pub(crate) fn write_out(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("cannot write to stdout: {e}");
        std::process::exit(i32::from(EXIT_TRANSPORT));
    }
}

/// `println!` that does not panic when stdout is a closed pipe (see [`write_out`]).
macro_rules! say {
    () => { $crate::output::write_out(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::output::write_out(format_args!("{}\n", format_args!($($arg)*))) };
}
pub(crate) use say;

/// Writes `value` as pretty JSON (for a whole result) to stdout.
pub(crate) fn print_json(value: &Value) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure::usage(e.to_string()))?;
    write_out(format_args!("{text}\n"));
    Ok(())
}

/// Writes `value` as one compact JSON line to stdout.
pub(crate) fn print_json_line(value: &Value) -> Result<(), Failure> {
    let text = serde_json::to_string(value).map_err(|e| Failure::usage(e.to_string()))?;
    write_out(format_args!("{text}\n"));
    Ok(())
}

/// Renders rows as an aligned text table with a header, columns padded to their widest cell in
/// display width (a CJK character takes two columns).
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut all: Vec<Vec<String>> = Vec::with_capacity(rows.len() + 1);
    all.push(header.iter().map(|h| (*h).to_owned()).collect());
    all.extend(rows.iter().cloned());
    columns(&all)
}

/// Renders rows as aligned columns (two spaces apart) by display width, without a header.
pub(crate) fn columns(rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = Vec::new();
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            let w = UnicodeWidthStr::width(c.as_str());
            match widths.get_mut(i) {
                Some(max) => *max = (*max).max(w),
                None => widths.push(w),
            }
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, c) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            line.push_str(c);
            let pad = widths[i].saturating_sub(UnicodeWidthStr::width(c.as_str()));
            line.extend(std::iter::repeat_n(' ', pad));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A status line on stderr (a spinner, the text, the time elapsed) that redraws in place; it
/// draws nothing at all unless enabled, and clears itself when finished.
pub(crate) struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("enabled", &self.bar.is_some())
            .finish()
    }
}

impl Progress {
    /// A status line, drawn only when `enabled` (see [`Output::progress`]).
    pub(crate) fn new(enabled: bool) -> Self {
        let bar = enabled.then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr(),
            );
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{spinner} {wide_msg} {elapsed}")
            {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Self { bar }
    }

    /// Replaces the text with `text`.
    pub(crate) fn update(&mut self, text: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(text.to_owned());
        }
    }

    /// Clears the line.
    pub(crate) fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn table_aligns_columns() {
        let t = table(
            &["ID", "STATE"],
            &[
                vec!["ins-1".into(), "RUNNING".into()],
                vec!["i".into(), "".into()],
            ],
        );
        assert_eq!(t, "ID     STATE\nins-1  RUNNING\ni\n");
    }

    #[test]
    fn table_pads_by_display_width() {
        let t = table(
            &["NAME", "STATE"],
            &[
                vec!["网站服务器".into(), "RUNNING".into()],
                vec!["web".into(), "STOPPED".into()],
            ],
        );
        let lines: Vec<&str> = t.lines().collect();
        // 网站服务器 is five characters but ten columns wide: STATE starts at column 12 on every line.
        let starts: Vec<usize> = lines
            .iter()
            .map(|l| {
                let byte = l.find(['S', 'R']).unwrap_or(0);
                UnicodeWidthStr::width(&l[..byte])
            })
            .collect();
        assert_eq!(starts, [12, 12, 12], "{t}");
    }

    #[test]
    fn text_has_one_line_per_item() {
        let doc = json!({"RequestId": "r", "TotalCount": 2,
            "ZoneSet": [{"Zone": "z1", "ZoneState": "AVAILABLE", "Tags": ["a", "b"], "X": {"y": 1}},
                        {"Zone": "z2", "ZoneState": "UNAVAILABLE"}]});
        assert_eq!(
            text_lines(&doc),
            ["r\t2", "a,b\tz1\tAVAILABLE", "z2\tUNAVAILABLE"]
        );
        assert_eq!(text_lines(&json!(["a", "b"])), ["a", "b"]);
        assert_eq!(text_lines(&json!([["a", 1], ["b", null]])), ["a\t1", "b\t"]);
        assert_eq!(text_lines(&json!("x\ty")), ["x y"]);
    }

    #[test]
    fn queries_compile_once_and_apply() {
        let q = Query::compile("InstanceSet[].InstanceId").unwrap();
        let doc = json!({"InstanceSet": [{"InstanceId": "ins-1"}, {"InstanceId": "ins-2"}]});
        assert_eq!(q.apply(&doc).unwrap(), json!(["ins-1", "ins-2"]));
        let err = Query::compile("InstanceSet[").unwrap_err();
        assert_eq!(err.status, EXIT_USAGE);
        assert!(!err.message.contains('\n'), "{}", err.message);
    }

    #[test]
    fn views_take_nested_paths() {
        let v = View {
            list: "InstanceSet",
            columns: &[
                ("ID", "InstanceId"),
                ("ZONE", "Placement.Zone"),
                ("IP", "Ips"),
            ],
        };
        let doc = json!({"InstanceSet": [{"InstanceId": "i", "Placement": {"Zone": "z"}, "Ips": ["1", "2"]}]});
        assert_eq!(v.rows(&doc), [vec!["i", "z", "1,2"]]);
        assert!(v.rows(&json!({})).is_empty());
    }
}
