//! Reading the command line, in the language the user reads.
//!
//! Rules of this module:
//! - The language is decided before clap parses, so that help and usage errors are in it:
//!   `--lang` wherever it stands in argv (`--lang zh`, `--lang=zh`), else the environment's
//!   (`LC_ALL`, `LC_MESSAGES`, `LANG`, read by `lib::run`).
//! - English is clap's own help and errors, unchanged. Chinese is the tree `localize` translates,
//!   its rendered help with clap's headings replaced, and the errors of `usage_zh`.
//! - Help and `--version` go to stdout and exit 0; a usage error goes to stderr and exits 2, and
//!   so does the help shown for a missing command (`sitrep`, `sitrep rules`).

use std::ffi::OsString;
use std::io::Write;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches, ValueEnum};

use super::{Cli, localize, usage_zh};
use crate::error::Exit;
use crate::i18n::Lang;

/// The language `--lang` asks for, wherever it is in argv; `None` when it is absent or not a
/// language (clap then refuses it, in the environment's language).
pub fn lang_in(argv: &[OsString]) -> Option<Lang> {
    let mut args = argv.iter().skip(1).map(|a| a.to_str());
    while let Some(a) = args.next() {
        let value = match a {
            Some("--") => return None,
            Some("--lang") => args.next().flatten(),
            Some(a) => a.strip_prefix("--lang="),
            None => None,
        };
        if let Some(v) = value {
            return Lang::from_str(v, false).ok();
        }
    }
    None
}

/// Parses argv, with help and errors in `lang`. When there is nothing to run — help, version,
/// a usage error — it has printed what there is to say, and returns the exit code.
pub fn parse(argv: &[OsString], lang: Lang) -> Result<Cli, Exit> {
    let mut cmd = match lang {
        Lang::En => Cli::command(),
        Lang::Zh => localize::chinese(Cli::command()),
    };
    let e = match cmd
        .try_get_matches_from_mut(argv)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
    };
    let exit = if e.use_stderr() {
        Exit::Usage
    } else {
        Exit::Success
    };
    let text = match (lang, e.kind()) {
        (Lang::En, _) | (_, ErrorKind::DisplayVersion) => {
            let _ = e.print();
            return Err(exit);
        }
        (
            Lang::Zh,
            ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand,
        ) => localize::help_text(&e.render().to_string()),
        (Lang::Zh, _) => format!("{}\n", usage_zh::message(&e, &cmd, argv)),
    };
    // A closed pipe (`sitrep --help | head`) is not an error worth a word.
    let _ = if e.use_stderr() {
        std::io::stderr().lock().write_all(text.as_bytes())
    } else {
        std::io::stdout().lock().write_all(text.as_bytes())
    };
    Err(exit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn lang_is_found_wherever_it_stands() {
        let cases: [(&[&str], Option<Lang>); 7] = [
            (&["sitrep", "--lang", "zh", "file"], Some(Lang::Zh)),
            (&["sitrep", "file", "--help", "--lang=zh"], Some(Lang::Zh)),
            (&["sitrep", "check", "--lang", "en"], Some(Lang::En)),
            (&["sitrep", "check"], None),
            (&["sitrep", "--lang", "fr"], None),
            (&["sitrep", "--lang"], None),
            (&["sitrep", "import", "--", "--lang", "zh"], None),
        ];
        for (args, want) in cases {
            assert_eq!(lang_in(&argv(args)), want, "{args:?}");
        }
    }
}
