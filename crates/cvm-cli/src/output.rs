//! How results reach people and scripts: tables or text on a terminal, JSON otherwise; errors on
//! stderr with an exit status per class.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::ValueEnum;
use cvm_blocking::ErrorClass;
use serde_json::Value;

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
    /// Tables and text for people.
    Table,
    /// JSON for scripts.
    Json,
}

/// Where output goes and in which form.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    /// Tables/text or JSON.
    pub format: Format,
    /// Whether stderr is a terminal, so progress lines may be drawn.
    pub progress: bool,
}

impl Output {
    /// `--output` if given; otherwise tables on a terminal and JSON when stdout is piped.
    pub(crate) fn detect(choice: Option<Format>) -> Self {
        let format = choice.unwrap_or(if std::io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Json
        });
        Self {
            format,
            progress: std::io::stderr().is_terminal() && std::io::stdout().is_terminal(),
        }
    }

    /// Whether JSON is wanted.
    pub(crate) fn json(&self) -> bool {
        self.format == Format::Json
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

/// Prints rows as a table with a header, columns padded to their widest cell.
pub(crate) fn print_table(header: &[&str], rows: &[Vec<String>]) {
    write_out(format_args!("{}", table(header, rows)));
}

/// Renders rows as an aligned text table.
pub(crate) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let parts: Vec<String> = cells
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(&mut header.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

/// A progress line on stderr that redraws in place; silent when stderr is not a terminal.
pub(crate) struct Progress {
    enabled: bool,
    drawn: bool,
}

impl Progress {
    /// A progress line, drawn only when `enabled`.
    pub(crate) fn new(enabled: bool) -> Self {
        Self {
            enabled,
            drawn: false,
        }
    }

    /// Replaces the line with `text`.
    pub(crate) fn update(&mut self, text: &str) {
        if self.enabled {
            eprint!("\r\x1b[2K{text}");
            let _ = std::io::stderr().flush();
            self.drawn = true;
        }
    }

    /// Clears the line.
    pub(crate) fn finish(&mut self) {
        if self.drawn {
            eprint!("\r\x1b[2K");
            let _ = std::io::stderr().flush();
            self.drawn = false;
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
}
