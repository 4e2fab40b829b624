//! Names as the sources spell them, resolved to the authority's canonical ids.
//!
//! Matching ignores case, accents and punctuation (`Sicília`, `SICILIA` and `Sicilia` are one
//! name; `Gen. Badoglio` and `Gen Badoglio` too) but never merges two entries: a name that folds
//! to more than one entry is ambiguous, and the caller reports it.

use std::cell::RefCell;
use std::sync::{Mutex, MutexGuard, OnceLock};

// foldhash rather than std's SipHash: names are short and looked up several times per claim.
use foldhash::HashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The lookup form of a name: accents and case removed, punctuation and runs of spaces turned
/// into one space. Used only for matching and suggestions; the written form stays canonical.
pub fn fold(name: &str) -> String {
    // ASCII has nothing to decompose: the common case skips NFD.
    if name.is_ascii() {
        fold_ascii(name)
    } else {
        fold_unicode(name)
    }
}

fn fold_ascii(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    let mut pending_space = false;
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() {
            if pending_space && !folded.is_empty() {
                folded.push(' ');
            }
            pending_space = false;
            folded.push(char::from(b.to_ascii_lowercase()));
        } else if b != b'\'' {
            pending_space = true;
        }
    }
    folded
}

fn fold_unicode(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    let mut pending_space = false;
    for c in name.nfd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            if pending_space && !folded.is_empty() {
                folded.push(' ');
            }
            pending_space = false;
            folded.extend(c.to_lowercase());
        } else if c != '\'' && c != '’' {
            pending_space = true;
        }
    }
    folded
}

/// What a name resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// The entry at this index.
    Found(usize),
    /// Several entries answer to the name: the first few (indices, sorted, at most
    /// [`SHOWN_CANDIDATES`]) and how many there are. Capped so that a name shared by 100,000
    /// entries costs each reference to it a few words, not 800 kB.
    Ambiguous { first: Vec<usize>, count: usize },
    /// No entry answers; the closest names, best first (at most three).
    Unknown { suggestions: Vec<String> },
}

/// The most entries an ambiguous name's resolution lists.
pub const SHOWN_CANDIDATES: usize = 5;

/// A name in Unicode normalization form C: `Sicília` written with a combining accent (NFD) and
/// with the precomposed letter (NFC) are one name. Borrowed when it already is (always for ASCII).
pub fn nfc(name: &str) -> std::borrow::Cow<'_, str> {
    if name.is_ascii()
        || unicode_normalization::is_nfc_quick(name.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        std::borrow::Cow::Borrowed(name)
    } else {
        std::borrow::Cow::Owned(name.nfc().collect())
    }
}

/// Names of the entries of one authority list (people, places or events), for lookup.
#[derive(Debug, Default)]
pub struct NameIndex {
    /// Exact written forms, checked first: most names in a dataset are spelled as listed.
    exact: HashMap<String, Vec<usize>>,
    folded: HashMap<String, Vec<usize>>,
    /// Every folded key with a written form and its entry, for suggestions, sorted.
    shown: Vec<(String, String, usize)>,
    /// Trigrams of the folded keys, built the first time a large index is asked for suggestions.
    grams: OnceLock<HashMap<[char; 3], Vec<u32>>>,
    /// Suggestions already made, by folded name: a misspelling tends to recur (in a generated
    /// million events, 45 % of unknown names are repeats), and each costs a tenth of a
    /// millisecond against 100,000 names. Held only to look up and to insert, so the threads
    /// rarely wait.
    suggested: Mutex<HashMap<String, Vec<String>>>,
}

/// Up to this many names, suggestions compare the unknown name with every name. Above it, only
/// with the names that share the most trigrams with it: scoring every name for every unknown one
/// is quadratic (3,000 unknown names against 100,000 names took minutes), and even 2,000 names
/// cost a fifth of a millisecond per unknown one.
const EXHAUSTIVE: usize = 500;

/// How many of the names sharing the most trigrams are scored. The closest name is always among
/// them in practice; runners-up that a full scan would score alike may differ.
const CANDIDATES: usize = 200;

/// A trigram found in more names than this says little about closeness and is skipped, unless
/// the unknown name has no rarer one.
const COMMON_GRAM: usize = 5_000;

impl NameIndex {
    /// Builds the index from `(entry index, names)`; an entry's id counts as one of its names.
    pub fn new<'a>(entries: impl IntoIterator<Item = (usize, Vec<&'a str>)>) -> NameIndex {
        let mut index = NameIndex::default();
        let mut shown = HashMap::default();
        for (entry, names) in entries {
            for name in names {
                add(&mut index.exact, nfc(name).into_owned(), entry);
                let folded = fold(name);
                if folded.is_empty() {
                    continue;
                }
                shown
                    .entry((folded.clone(), entry))
                    .or_insert_with(|| name.to_owned());
                add(&mut index.folded, folded, entry);
            }
        }
        sort_lists(&mut index.exact);
        sort_lists(&mut index.folded);
        index.shown = shown
            .into_iter()
            .map(|((folded, entry), name)| (folded, name, entry))
            .collect();
        index.shown.sort();
        index
    }

    pub fn resolve(&self, name: &str) -> Resolution {
        if let Some([entry]) = self.exact.get(&*nfc(name)).map(Vec::as_slice) {
            return Resolution::Found(*entry);
        }
        let folded = fold(name);
        match self.folded.get(&folded).map(Vec::as_slice) {
            Some([entry]) => Resolution::Found(*entry),
            Some(entries) if !entries.is_empty() => Resolution::Ambiguous {
                first: entries.iter().take(SHOWN_CANDIDATES).copied().collect(),
                count: entries.len(),
            },
            _ => Resolution::Unknown {
                suggestions: self.suggest(&folded),
            },
        }
    }

    /// The names closest to a folded name that matched nothing: the best-matching name of each
    /// of the (at most three) closest entries.
    fn suggest(&self, folded: &str) -> Vec<String> {
        if self.shown.len() <= EXHAUSTIVE {
            return self.best(folded, 0..self.shown.len());
        }
        if let Some(known) = self.memo().get(folded) {
            return known.clone();
        }
        let suggestions = self.best(folded, self.candidates(folded).into_iter());
        self.memo().insert(folded.to_owned(), suggestions.clone());
        suggestions
    }

    fn memo(&self) -> MutexGuard<'_, HashMap<String, Vec<String>>> {
        // A poisoned lock only means another thread panicked mid-insert; the map is intact.
        self.suggested.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The best-matching name of each of the (at most three) closest entries among `candidates`.
    fn best(&self, folded: &str, candidates: impl Iterator<Item = usize>) -> Vec<String> {
        let mut scored: Vec<(f64, &str, usize)> = candidates
            .into_iter()
            .filter_map(|i| self.shown.get(i))
            .map(|(key, name, entry)| (strsim::jaro_winkler(folded, key), name.as_str(), *entry))
            .filter(|(score, _, _)| *score >= 0.85)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        let mut entries: Vec<usize> = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for (_, name, entry) in scored {
            if !entries.contains(&entry) {
                entries.push(entry);
                if !names.iter().any(|n| n == name) {
                    names.push(name.to_owned());
                }
            }
            if names.len() == 3 {
                break;
            }
        }
        names
    }
}

impl NameIndex {
    /// The names (indices into `shown`) that share the most trigrams with `folded`.
    fn candidates(&self, folded: &str) -> Vec<usize> {
        let grams = self.grams.get_or_init(|| {
            let mut grams: HashMap<[char; 3], Vec<u32>> = HashMap::default();
            for (i, (key, _, _)) in self.shown.iter().enumerate() {
                let i = u32::try_from(i).unwrap_or(u32::MAX);
                for gram in trigrams(key) {
                    let list = grams.entry(gram).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
            grams
        });
        let mut lists: Vec<&Vec<u32>> = trigrams(folded)
            .filter_map(|gram| grams.get(&gram))
            .collect();
        lists.sort_by_key(|list| list.len());
        lists.dedup_by(|a, b| std::ptr::eq(*a, *b));
        let rare = lists
            .iter()
            .filter(|list| list.len() <= COMMON_GRAM)
            .count()
            .max(1);
        // Counted in a dense array (one slot per name) rather than a map: the lists of a name's
        // trigrams hold thousands of names in a large authority. The array is the thread's own
        // and kept between calls, zero except while counting: allocating and zeroing one for
        // every unknown name was most of the cost of counting.
        thread_local! {
            static SHARED: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
        }
        SHARED.with_borrow_mut(|shared| {
            if shared.len() < self.shown.len() {
                shared.resize(self.shown.len(), 0);
            }
            let mut touched = Vec::new();
            for list in lists.into_iter().take(rare) {
                for &i in list {
                    let count = &mut shared[i as usize];
                    if *count == 0 {
                        touched.push(i);
                    }
                    *count = count.saturating_add(1);
                }
            }
            // The `CANDIDATES` names sharing the most trigrams, ties to the earlier name: a total
            // order, so the set chosen does not depend on the selection's internals.
            let rank = |i: &u32| (std::cmp::Reverse(shared[*i as usize]), *i);
            if touched.len() > CANDIDATES {
                touched.select_nth_unstable_by_key(CANDIDATES, rank);
            }
            let mut chosen: Vec<u32> = touched.iter().take(CANDIDATES).copied().collect();
            chosen.sort_unstable_by_key(rank);
            for i in touched {
                shared[i as usize] = 0;
            }
            chosen.into_iter().map(|i| i as usize).collect()
        })
    }
}

/// The trigrams of a folded name, padded with spaces at both ends: `" me"`, `"mes"`, … `"na "`.
fn trigrams(folded: &str) -> impl Iterator<Item = [char; 3]> + '_ {
    let chars: Vec<char> = std::iter::once(' ')
        .chain(folded.chars())
        .chain(std::iter::once(' '))
        .collect();
    (0..chars.len().saturating_sub(2)).map(move |i| [chars[i], chars[i + 1], chars[i + 2]])
}

/// Adds `entry` under `key`. Entries come in increasing order, so a repeat is the last one; a
/// search and sort on each insert made 100,000 entries sharing one alias take minutes. The
/// lists are sorted and deduplicated once at the end ([`sort_lists`]) in case they did not.
fn add(map: &mut HashMap<String, Vec<usize>>, key: String, entry: usize) {
    let entries = map.entry(key).or_default();
    if entries.last() != Some(&entry) {
        entries.push(entry);
    }
}

fn sort_lists(map: &mut HashMap<String, Vec<usize>>) {
    for entries in map.values_mut() {
        if !entries.is_sorted() {
            entries.sort_unstable();
            entries.dedup();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> NameIndex {
        NameIndex::new([
            (0, vec!["sicily", "Sicilia", "Sicília", "Sicily"]),
            (1, vec!["messina", "Mesina", "Messina"]),
            (
                2,
                vec!["bernard-montgomery", "Bernard L. Montgomery", "Montgomery"],
            ),
            (3, vec!["taranto", "Tarento", "Taranto"]),
            (4, vec!["tarento-ship", "Tarento"]),
        ])
    }

    #[test]
    fn folding_ignores_case_accents_and_punctuation() {
        assert_eq!(fold("  Sicília "), "sicilia");
        assert_eq!(fold("Gen. Badoglio"), "gen badoglio");
        assert_eq!(fold("Bernard L. Montgomery"), "bernard l montgomery");
        assert_eq!(fold("D’Annunzio"), "dannunzio");
        assert_eq!(fold(&fold("São Paulo")), fold("São Paulo"));
    }

    proptest::proptest! {
        #[test]
        fn ascii_folds_as_unicode_does(name in "[ -~]{0,24}") {
            proptest::prop_assert_eq!(fold_ascii(&name), fold_unicode(&name));
        }
    }

    #[test]
    fn nfd_and_nfc_spellings_resolve_alike() {
        // `Sicília` with a combining accent (NFD) in the authority, and precomposed (NFC) in a
        // source, and the other way round: both find the entry by its exact spelling.
        let index = NameIndex::new([(0, vec!["Sici\u{301}lia"]), (1, vec!["Málaga"])]);
        assert_eq!(index.resolve("Sicília"), Resolution::Found(0));
        assert_eq!(index.resolve("Ma\u{301}laga"), Resolution::Found(1));
        assert_eq!(nfc("Ma\u{301}laga"), "Málaga");
    }

    #[test]
    fn an_ambiguous_name_lists_a_few_entries_and_the_count() {
        let entries: Vec<(usize, Vec<&str>)> =
            (0..1000).map(|i| (i, vec!["The General"])).collect();
        let index = NameIndex::new(entries);
        assert_eq!(
            index.resolve("the general"),
            Resolution::Ambiguous {
                first: vec![0, 1, 2, 3, 4],
                count: 1000
            }
        );
    }

    #[test]
    fn resolves_spellings_and_never_merges() {
        let index = index();
        assert_eq!(index.resolve("SICILIA"), Resolution::Found(0));
        assert_eq!(index.resolve("Mesina"), Resolution::Found(1));
        assert_eq!(index.resolve("bernard l. montgomery"), Resolution::Found(2));
        assert_eq!(
            index.resolve("Tarento"),
            Resolution::Ambiguous {
                first: vec![3, 4],
                count: 2
            }
        );
    }

    #[test]
    fn unknown_names_get_suggestions() {
        assert_eq!(
            index().resolve("Mesinna"),
            Resolution::Unknown {
                suggestions: vec!["Mesina".into()]
            }
        );
        assert_eq!(
            index().resolve("Tarrento"),
            Resolution::Unknown {
                suggestions: vec!["Tarento".into()]
            }
        );
        assert_eq!(
            index().resolve("Normandía"),
            Resolution::Unknown {
                suggestions: vec![]
            }
        );
    }

    #[test]
    fn large_indices_suggest_through_trigrams_as_a_full_scan_would() {
        let entries: Vec<(usize, Vec<String>)> = (0..5000)
            .map(|i| {
                (
                    i,
                    vec![
                        format!("place number {i}"),
                        format!("lugar {}", i * 7919 % 5000),
                    ],
                )
            })
            .collect();
        let mut all: Vec<(usize, Vec<&str>)> = entries
            .iter()
            .map(|(i, names)| (*i, names.iter().map(String::as_str).collect()))
            .collect();
        all.push((5000, vec!["Mesina"]));
        let index = NameIndex::new(all);
        assert_eq!(
            index.resolve("Mesinna"),
            Resolution::Unknown {
                suggestions: vec!["Mesina".into()]
            }
        );
        for query in [
            "mesinna",
            "place numbr 4321",
            "lugra 17",
            "plac number 99",
            "xyz",
        ] {
            // The closest name is the one a full scan finds; the runners-up may differ among
            // names a full scan scores alike.
            let full = index.best(query, 0..index.shown.len());
            let fast = index.best(query, index.candidates(query).into_iter());
            assert_eq!(fast.first(), full.first(), "{query}");
            assert_eq!(fast.len(), full.len(), "{query}");
        }
    }

    #[test]
    fn remembered_suggestions_and_the_reused_count_change_nothing() {
        let names: Vec<String> = (0..2000).map(|i| format!("town of {i}")).collect();
        let entries = || {
            names
                .iter()
                .enumerate()
                .map(|(i, name)| (i, vec![name.as_str()]))
        };
        let (index, other) = (NameIndex::new(entries()), NameIndex::new(entries()));
        let queries = ["twn of 17", "town off 1999", "twon of 5", "nowhere at all"];
        // The first pass fills the memory and counts in the thread's array; the second comes
        // from memory; a fresh index counts again in the same array, which must be back at zero.
        let first: Vec<Resolution> = queries.iter().map(|q| index.resolve(q)).collect();
        let again: Vec<Resolution> = queries.iter().map(|q| index.resolve(q)).collect();
        let fresh: Vec<Resolution> = queries.iter().map(|q| other.resolve(q)).collect();
        assert_eq!(first, again);
        assert_eq!(first, fresh);
        assert!(
            matches!(&first[0], Resolution::Unknown { suggestions } if suggestions.first().map(String::as_str) == Some("town of 17"))
        );
    }
}
