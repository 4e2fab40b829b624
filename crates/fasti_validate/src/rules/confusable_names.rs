//! `confusable-names`: two authority entries whose names look the same but are written with
//! different characters.
//!
//! Names (ids, names in each language, aliases) of one list are grouped by their confusable
//! skeleton (UTS #39, from the `unicode-security` crate: decomposed, with each look-alike mapped
//! to one prototype), which also makes NFC and NFD spellings equal. Two entries in one group
//! with differently written names are reported once, at the second entry. Names written
//! identically are `ambiguous-name`'s concern where a source uses them; two ASCII names are
//! never reported (`rn` and `m` are skeleton-equal, but that is no disguise).

use fasti_diagnostics::{Anchor, Diagnostic, Label, Rule};
use fasti_normalize::dataset::Entry;
use fasti_normalize::names::nfc;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::Context;

pub(super) fn check_authority(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let authority = context.authority;
    let lists: [(&str, Vec<&Entry>); 3] = [
        ("person", authority.people.iter().map(|p| &p.at).collect()),
        ("place", authority.places.iter().map(|p| &p.at).collect()),
        ("event", authority.events.iter().map(|e| &e.at).collect()),
    ];
    for ((noun, entries), names) in lists.into_iter().zip(&authority.names) {
        // The first (entry, name) seen with each skeleton.
        let mut first: HashMap<String, (usize, &str)> = HashMap::new();
        let mut reported: HashSet<(usize, usize)> = HashSet::new();
        for (entry, written) in names {
            for name in written {
                let skeleton: String = unicode_security::skeleton(name).collect();
                let Some(&(other, other_name)) = first.get(&skeleton) else {
                    first.insert(skeleton, (*entry, name));
                    continue;
                };
                if other == *entry
                    || other_name == name
                    || (other_name.is_ascii() && name.is_ascii())
                    || !reported.insert((other, *entry))
                {
                    continue;
                }
                let (Some(this), Some(that)) = (entries.get(*entry), entries.get(other)) else {
                    continue;
                };
                out.push(diagnostic(noun, (this, name), (that, other_name)));
            }
        }
    }
}

fn diagnostic(
    noun: &str,
    (this, name): (&Entry, &str),
    (that, other): (&Entry, &str),
) -> Diagnostic {
    let how = if nfc(name) == nfc(other) {
        "is the same text in another Unicode normalization form (NFC and NFD)"
    } else {
        "looks the same but is written with other characters (look-alikes, such as letters of another script)"
    };
    Diagnostic::new(
        Rule::ConfusableNames,
        format!(
            "`{}` ({noun} `{}`) and `{}` ({noun} `{}`): the name {how}",
            name,
            this.id,
            other,
            that.id
        ),
        Label::new(this.file.clone(), Anchor::Head { pointer: this.pointer.clone() })
            .with_message(format!("`{}` is written `{}`", name, code_points(name))),
    )
    .with_related(
        Label::new(that.file.clone(), Anchor::Head { pointer: that.pointer.clone() })
            .with_message(format!("`{}` is written `{}`", other, code_points(other))),
    )
    .with_help("write both names with the same characters (retype the name, or normalize the file to NFC); if the entries are one, merge them")
}

/// The non-ASCII characters of a name as code points, so that the difference shows:
/// `R U+043E ma`.
fn code_points(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        }
    }
    out
}
