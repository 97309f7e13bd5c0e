//! One question at a time on the terminal, each answer read as it is typed.
//!
//! Rules:
//! - A [`Question`] carries its flag's reader (from [`super::answer`]) and what an empty answer
//!   means (for an optional field: left out; for a required one, nothing: it is refused).
//!   inquire runs them on Enter and, on a refusal, shows the message under the question and asks
//!   the same question again. Nothing is discovered after the last prompt.
//! - [`Prompter::field`] reads a flag's value with the same reader. A refused flag is refused at
//!   once off a terminal; on one, the reason is said and the question asked, the value ready to
//!   be corrected. A field given as a flag is not asked for.
//! - Esc or Ctrl-C stops the questions ([`Stop::Cancelled`]). [`Prompter::stopped`] turns that
//!   into the command's error: after anything was typed, what was typed is saved to a draft
//!   (`record::save_draft`) whose path it says, the last refused answer included.
//! - Prompts go to the terminal (inquire writes to stderr), never to stdout.

use std::cell::RefCell;
use std::io::Write as _;

use inquire::validator::Validation;

use crate::commands::record::{self, Draft};
use crate::context::Ctx;
use crate::error::{NotRecorded, refuse};
use crate::i18n::{Msg, pick};
use crate::msg;

type Read<'q, T> = Box<dyn Fn(&str) -> Result<T, Msg> + 'q>;
type Empty<'q, T> = Box<dyn Fn() -> Result<T, Msg> + 'q>;
type Show<'q, T> = Box<dyn Fn(&T) -> String + 'q>;
type Offer<'q> = Box<dyn Fn(&str) -> Vec<String> + 'q>;

/// A question: what to ask, and how to read the answer.
pub struct Question<'q, T> {
    flag: &'static str,
    prompt: Msg,
    help: Option<Msg>,
    read: Read<'q, T>,
    /// What an empty answer means; `None`: the field is required.
    empty: Option<Empty<'q, T>>,
    show: Option<Show<'q, T>>,
    choices: Option<Offer<'q>>,
}

impl<'q, U: 'q> Question<'q, Option<U>> {
    /// The question for `flag`'s optional field: Enter leaves it out.
    pub fn optional(
        flag: &'static str,
        prompt: Msg,
        read: impl Fn(&str) -> Result<U, Msg> + 'q,
    ) -> Self {
        Question::new(flag, prompt, move |s| read(s).map(Some)).or_empty(|| Ok(None))
    }
}

impl<'q, T> Question<'q, T> {
    /// The question for `flag`'s required field, answered as `read` reads the flag.
    pub fn new(
        flag: &'static str,
        prompt: Msg,
        read: impl Fn(&str) -> Result<T, Msg> + 'q,
    ) -> Self {
        Question {
            flag,
            prompt,
            help: None,
            read: Box::new(read),
            empty: None,
            show: None,
            choices: None,
        }
    }

    /// An empty answer (Enter) means `empty()`; a flag given empty is still read by `read`.
    pub fn or_empty(mut self, empty: impl Fn() -> Result<T, Msg> + 'q) -> Self {
        self.empty = Some(Box::new(empty));
        self
    }

    /// A line shown under the question.
    pub fn help(mut self, help: Msg) -> Self {
        self.help = Some(help);
        self
    }

    /// How the accepted answer is shown once answered (e.g. the full time `14:05` was read as).
    pub fn show(mut self, show: impl Fn(&T) -> String + 'q) -> Self {
        self.show = Some(Box::new(show));
        self
    }

    /// Values to offer below the question for what has been typed so far: ↑↓ picks one, Tab
    /// completes to it.
    pub fn choices(mut self, choices: impl Fn(&str) -> Vec<String> + 'q) -> Self {
        self.choices = Some(Box::new(choices));
        self
    }

    /// What an answer means: an empty one, what [`Question::or_empty`] says (a required field
    /// refuses it); any other, what the flag's reader makes of it.
    fn answer(&self, typed: &str) -> Result<T, Msg> {
        if !typed.trim().is_empty() {
            return (self.read)(typed);
        }
        match &self.empty {
            Some(empty) => empty(),
            None => Err(msg!(
                "required: type the answer, or Esc to stop",
                "必填：请填写后回车（按 Esc 取消）"
            )),
        }
    }
}

/// Why the questions ended without an answer.
#[derive(Debug)]
pub enum Stop {
    /// Esc or Ctrl-C.
    Cancelled,
    /// A refusal (of a flag off a terminal, or of what the answers make together), or a
    /// terminal that failed.
    Failed(anyhow::Error),
}

impl From<anyhow::Error> for Stop {
    fn from(e: anyhow::Error) -> Stop {
        Stop::Failed(e)
    }
}

/// Asks the questions of one command and remembers whether anything was typed.
#[derive(Debug, Default)]
pub struct Prompter {
    interactive: bool,
    /// Whether anything was typed at a prompt (an answer, or a refused attempt).
    typed: bool,
    /// The last answer refused at the question being asked.
    refused: RefCell<Option<String>>,
    /// A refused answer the questions stopped at, for the draft: (flag, text).
    unaccepted: Option<(&'static str, String)>,
}

impl Prompter {
    /// Questions asked only when `interactive` (a terminal, no `--no-input`).
    pub fn new(interactive: bool) -> Prompter {
        Prompter {
            interactive,
            ..Prompter::default()
        }
    }

    /// The value of a field: its flag's value (`slot`) if given, else asked for when `ask` on a
    /// terminal, else what an empty answer means. What is typed is put in `slot`, for drafts.
    pub fn field<T>(
        &mut self,
        slot: &mut Option<String>,
        q: &Question<'_, T>,
        ask: bool,
    ) -> Result<T, Stop> {
        let mut initial = None;
        match slot.as_deref() {
            Some(given) => match (q.read)(given) {
                Ok(v) => return Ok(v),
                Err(m) if !self.interactive => return Err(Stop::Failed(refuse(m))),
                Err(m) => {
                    let (flag, colon) = (q.flag, pick(": ", "："));
                    let _ = writeln!(std::io::stderr(), "{flag}{colon}{m}");
                    initial = Some(given.to_owned());
                }
            },
            None if !(ask && self.interactive) => {
                return q.answer("").map_err(|m| Stop::Failed(refuse(m)));
            }
            None => {}
        }
        let (typed, v) = self.ask(q, initial.as_deref())?;
        *slot = (!typed.trim().is_empty()).then_some(typed);
        Ok(v)
    }

    /// Asks `q` until its answer is accepted; returns what was typed and its value.
    fn ask<T>(&mut self, q: &Question<'_, T>, initial: Option<&str>) -> Result<(String, T), Stop> {
        let refused = &self.refused;
        let validator = move |s: &str| {
            Ok(match q.answer(s) {
                Ok(_) => Validation::Valid,
                Err(m) => {
                    if !s.trim().is_empty() {
                        *refused.borrow_mut() = Some(s.to_owned());
                    }
                    Validation::Invalid(m.to_string().into())
                }
            })
        };
        let show = |s: &str| match (&q.show, q.answer(s)) {
            (Some(show), Ok(v)) => show(&v),
            _ if s.trim().is_empty() => pick("(left out)", "（未填）").to_owned(),
            _ => s.trim().to_owned(),
        };
        let prompt = q.prompt.to_string();
        let help = q.help.as_ref().map(ToString::to_string);
        let mut text = inquire::Text::new(&prompt)
            .with_render_config(render_config())
            .with_validator(validator)
            .with_formatter(&show);
        if let Some(help) = &help {
            text = text.with_help_message(help);
        }
        if let Some(initial) = initial {
            text = text.with_initial_value(initial);
        }
        if let Some(choices) = &q.choices {
            text = text.with_autocomplete(Choices(&**choices));
        }
        let answer = text.prompt();
        let refused = self.refused.take();
        match answer {
            Ok(typed) => {
                self.typed |= !typed.trim().is_empty() || refused.is_some();
                let v = q.answer(&typed).map_err(|m| Stop::Failed(refuse(m)))?;
                Ok((typed, v))
            }
            Err(
                inquire::InquireError::OperationCanceled
                | inquire::InquireError::OperationInterrupted,
            ) => {
                if let Some(text) = refused {
                    self.typed = true;
                    self.unaccepted = Some((q.flag, text));
                }
                Err(Stop::Cancelled)
            }
            Err(e) => Err(Stop::Failed(anyhow::Error::new(e).context(msg!(
                "cannot read the answer from the terminal; give the values as flags with --no-input",
                "无法从终端读取输入：请加 --no-input 并以参数给出各项"
            )))),
        }
    }

    /// The error the command ends with when the questions stopped: a cancel says nothing was
    /// recorded, and after anything was typed saves `draft` and says where.
    pub fn stopped(&self, ctx: &Ctx, stop: Stop, draft: &Draft<'_>) -> anyhow::Error {
        match stop {
            Stop::Failed(e) => return self.unrecorded(ctx, e, draft),
            Stop::Cancelled if !self.typed => {
                return refuse(msg!(
                    "cancelled: nothing was recorded",
                    "已取消：未作任何记录"
                ));
            }
            Stop::Cancelled => {}
        }
        let mut fields = draft.fields.clone();
        if let (Some((flag, text)), Some(map)) = (&self.unaccepted, fields.as_object_mut()) {
            map.insert(
                "unaccepted".to_owned(),
                serde_json::json!({ "flag": flag, "text": text }),
            );
        }
        let draft = Draft {
            command: draft.command,
            fields,
        };
        match record::save_draft(ctx, &draft, "cancelled at the prompts") {
            Some(path) => {
                let p = path.display();
                refuse(msg!(
                    "cancelled: nothing was recorded; what you typed is saved in {p}",
                    "已取消：未作任何记录；已录入的内容存于 {p}"
                ))
            }
            None => refuse(msg!(
                "cancelled: nothing was recorded, and what you typed could not be saved (the drafts directory and the temporary directory are not writable)",
                "已取消：未作任何记录，已录入的内容也未能保存（草稿目录和临时目录均不可写）"
            )),
        }
    }

    /// A failure after answers were typed: the entry was not recorded, and what was typed is
    /// saved to a draft (unless the write path saved one already).
    pub fn unrecorded(&self, ctx: &Ctx, e: anyhow::Error, draft: &Draft<'_>) -> anyhow::Error {
        if !self.typed || e.chain().any(|c| c.is::<NotRecorded>()) {
            return e;
        }
        let saved = record::save_draft(ctx, draft, &format!("{e:#}"));
        e.context(NotRecorded { draft: saved })
    }
}

/// How prompts look: inquire's defaults (which honour `NO_COLOR`), in the display language.
pub fn render_config() -> inquire::ui::RenderConfig<'static> {
    inquire::ui::RenderConfig::default()
        .with_canceled_prompt_indicator(inquire::ui::Styled::new(pick("<cancelled>", "（已取消）")))
}

/// The values a question offers, filtered by what is typed.
#[derive(Clone)]
struct Choices<'q>(&'q dyn Fn(&str) -> Vec<String>);

impl inquire::Autocomplete for Choices<'_> {
    fn get_suggestions(&mut self, input: &str) -> Result<Vec<String>, inquire::CustomUserError> {
        Ok((self.0)(input))
    }

    /// Tab completes to the highlighted value, or to the first one offered.
    fn get_completion(
        &mut self,
        input: &str,
        highlighted: Option<String>,
    ) -> Result<inquire::autocompletion::Replacement, inquire::CustomUserError> {
        Ok(highlighted.or_else(|| (self.0)(input).into_iter().next()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::clean_line;

    #[test]
    fn an_empty_answer_is_refused_when_required_and_left_out_when_optional() {
        let title = Question::new("--title", msg!("Title", "标题"), |s| {
            clean_line("--title", s)
        });
        assert!(
            title
                .answer("  ")
                .expect_err("required")
                .zh
                .contains("必填")
        );
        assert_eq!(
            title.answer(" 某餐馆燃气爆炸 "),
            Ok("某餐馆燃气爆炸".to_owned())
        );
        let source = Question::optional("--source", msg!("Source", "信息来源"), |s| {
            clean_line("--source", s)
        });
        assert_eq!(source.answer(""), Ok(None), "Enter leaves it out");
        assert_eq!(
            source.answer("群众电话报告"),
            Ok(Some("群众电话报告".to_owned()))
        );
        // The flag's own reader refuses what it always refused.
        assert!(source.answer("a\u{202e}b").is_err());
        assert!((source.read)("").is_err(), "a flag given empty is refused");
    }
}
