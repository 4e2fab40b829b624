//! `fasti date`: read date expressions the way fasti reads them and print
//! one JSON object per expression.
//!
//! The contract (see `docs/dates.md`):
//! - accepted: `{"input","lang","edtf","earliest","latest","precision","approximate","uncertain"}`,
//!   then `"assumed"` when something came from the reference and
//!   `"language_mismatch"` when the words belong to another language; exit 0;
//! - rejected: `{"input","lang","error":{"kind","message","span","help"}}`; exit 1;
//! - with `-`, one expression per stdin line, one JSON line each, in order; exit 0;
//! - an invalid `--reference` or `--century` (or an output failure): a message on stderr, exit 2;
//! - `--calendar julian` and `--century` read as a source with `calendar: julian` and a dataset
//!   with a `period` in that century do in `fasti validate`.

use std::io::{self, BufRead, Write};
use std::process::ExitCode;

use fasti_normalize::date::{Context, Lang, normalize, to_json};

/// Normalize a date expression (EDTF/ISO, or Spanish, Portuguese or English prose).
#[derive(clap::Args, Debug)]
pub(crate) struct DateArgs {
    /// The date expression, or `-` to read one expression per line from stdin.
    #[arg(value_name = "EXPRESSION", allow_hyphen_values = true)]
    pub(crate) expression: String,
    /// Language of the expression.
    #[arg(long, default_value = "auto", value_parser = ["es", "pt", "en", "iso", "edtf", "auto"])]
    pub(crate) lang: String,
    /// Date of the previous event (any EDTF, e.g. `1943-09-03`), which
    /// completes relative or partial expressions such as `seis días después`.
    #[arg(long, value_name = "EDTF")]
    pub(crate) reference: Option<String>,
    /// The calendar prose dates are in, as a source's `calendar` field says: `julian` dates are
    /// converted to Gregorian days.
    #[arg(long, default_value = "gregorian", value_parser = ["gregorian", "julian"])]
    pub(crate) calendar: String,
    /// The century (e.g. `1900`) for one- and two-digit years when no reference gives one, as
    /// the dataset's `period` gives it in `fasti validate`.
    #[arg(long, value_name = "YEAR")]
    pub(crate) century: Option<i32>,
}

fn fail(msg: &str) -> ExitCode {
    let _ = writeln!(io::stderr().lock(), "error: {msg}");
    ExitCode::from(2)
}

/// Run `fasti date`.
pub(crate) fn run(args: &DateArgs) -> ExitCode {
    let lang: Lang = match args.lang.parse() {
        Ok(l) => l,
        Err(e) => return fail(&e.to_string()),
    };
    if args.century.is_some_and(|c| c.rem_euclid(100) != 0) {
        return fail("--century is the first year of a century, such as 1900");
    }
    let ctx = match &args.reference {
        None => Context::default(),
        Some(r) => match normalize(r, Lang::Edtf, &Context::default()) {
            Ok(v) => Context::with_reference(v),
            Err(e) => {
                let help = e.help.map(|h| format!(" ({h})")).unwrap_or_default();
                return fail(&format!(
                    "invalid --reference `{r}`: {}{help}; expected an EDTF date such as 1943-09-03",
                    e.message
                ));
            }
        },
    };
    let ctx = Context {
        julian: args.calendar == "julian",
        century: args.century,
        ..ctx
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if args.expression == "-" {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match input.read_until(b'\n', &mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => return fail(&format!("cannot read stdin: {e}")),
            }
            let line = String::from_utf8_lossy(&buf);
            let line = line.strip_suffix('\n').unwrap_or(&line);
            let line = line.strip_suffix('\r').unwrap_or(line);
            let r = normalize(line, lang, &ctx);
            if let Err(e) = writeln!(out, "{}", to_json(line, lang, &r)) {
                return write_failed(&e);
            }
        }
        if let Err(e) = out.flush() {
            return write_failed(&e);
        }
        return ExitCode::SUCCESS;
    }
    let r = normalize(&args.expression, lang, &ctx);
    if let Err(e) =
        writeln!(out, "{}", to_json(&args.expression, lang, &r)).and_then(|()| out.flush())
    {
        return write_failed(&e);
    }
    if r.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn write_failed(e: &io::Error) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    fail(&format!("cannot write the output: {e}"))
}
