// The search engine behind the search box, without the DOM: it reads the
// index that internal/search writes (format: internal/search/search.go),
// one piece at a time, and ranks what a query finds. search.js drives it:
//
//   const ix = new SearchIndex(meta);
//   for (let need; (need = ix.missing(query)).length; ) for (const f of need) ix.add(f, await fetchJSON(f));
//   const hits = ix.search(query); // pages, best first, with their sections
//   for (const f of ix.docsMissing(hits, n)) ix.add(f, await fetchJSON(f)); // to show n
//
// Everything here is synchronous and depends only on what was added, so
// internal/search runs it in Go (goja) against built indexes to measure
// what a first query fetches.
import { stem } from "./search-stem.js";

export const VERSION = 3;
export const PAGES = 8; // pages shown for a query, and shown more at a time
export const MAX_SECTIONS = 3; // sections shown under a page
const MAX_PREFIX = 5; // completions of a word being typed
const FETCH_PREFIX = 2; // of which fetched if need be
const MAX_FUZZY = 4; // near misses of a misspelt word
const MAX_TERM = 40;
const MAX_CONCEPTS = 30; // words of a query that count (bits of an int)
const MAX_STEMS = 20000; // stems remembered

// How much a match counts, by how it matched (MiniSearch's idea: a prefix
// or a misspelling finds a word, but ranks below the word itself) and by
// the class the index gave the entry (see internal/search/fragment.go).
const EXACT = 1;
const PREFIX = 0.5;
const FUZZY = [1, 0.45, 0.3]; // by edit distance
const SYNONYM = 0.95;
const CLASS_WEIGHT = [1, 1.8, 4, 7];
const TITLE = 3; // the class of a page title's terms

// Words are runs of letters, digits and underscores, joined into compounds
// by single hyphens: the same rule as internal/search/tokens.go. Engines
// without Unicode property escapes count every character outside ASCII as
// a letter except common punctuation and symbols.
const UNICODE = (() => {
  try {
    return new RegExp("\\p{L}", "u").test("é");
  } catch {
    return false;
  }
})();
const WORD = UNICODE
  ? new RegExp("[\\p{L}\\p{N}_]+(?:-[\\p{L}\\p{N}_]+)*", "gu")
  : /[A-Za-z0-9_\u00aa\u00b2\u00b3\u00b5\u00b9\u00ba\u00bc-\u00be\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u1fff\u2070-\u2079\u207f-\u2089\u2090-\u209c\u2150-\u2189\u2460-\u24ff\u2c00-\u2dff\u3040-\uffef]+(?:-[A-Za-z0-9_\u00aa\u00b2\u00b3\u00b5\u00b9\u00ba\u00bc-\u00be\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u1fff\u2070-\u2079\u207f-\u2089\u2090-\u209c\u2150-\u2189\u2460-\u24ff\u2c00-\u2dff\u3040-\uffef]+)*/g;
const UPPER = UNICODE ? new RegExp("\\p{Lu}", "u") : /[A-Z\u00c0-\u00de]/;
const LOWER = UNICODE ? new RegExp("\\p{Ll}", "u") : /[a-z\u00df-\u00ff]/;
const HUMP = UNICODE ? new RegExp(".\\p{Lu}", "su") : /.[A-Z\u00c0-\u00de]/s;
const DIGIT = UNICODE ? new RegExp("\\p{Nd}", "u") : /[0-9]/;
const ASCII_WORD = /^[a-z]{3,}$/;
const LETTERS = UNICODE ? new RegExp("^\\p{L}+$", "u") : /^[a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u1fff]+$/;

let stops = new Set();

// setStopWords sets the words that are not terms (the index's "stop").
export function setStopWords(list) {
  stops = new Set(list);
}

// length counts characters, not UTF-16 units, as Go counts runes.
function length(w) {
  let n = w.length;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

function isTerm(w) {
  const n = length(w);
  return n >= 2 && n <= MAX_TERM && !stops.has(w) && !/^[0-9]+$/.test(w);
}

// stemOf is a word's term. Stems are remembered: showing an answer finds
// the words to mark in every text shown, the same few hundred words.
const stems = new Map();
export function stemOf(w) {
  let s = stems.get(w);
  if (s === undefined) {
    if (stems.size >= MAX_STEMS) stems.clear();
    s = ASCII_WORD.test(w) ? stem(w) : w;
    stems.set(w, s);
  }
  return s;
}

// queryTerms returns a query's terms: {word, stem, prefix}, prefix set on
// the last when the query does not end there (it is being typed). An
// identifier with underscores gives its parts, which the index holds
// (not the whole), each marked with the identifier's number as ident.
export function queryTerms(query) {
  const out = [];
  let end = 0;
  let idents = 0;
  for (const m of query.matchAll(WORD)) {
    end = m.index + m[0].length;
    if (m[0].includes("_")) {
      const ident = idents++;
      for (const p of m[0].toLowerCase().split(/[-_]/)) if (isTerm(p)) out.push({ word: p, stem: stemOf(p), prefix: false, end, ident });
      continue;
    }
    const w = m[0].replace(/-/g, "").toLowerCase();
    if (isTerm(w)) out.push({ word: w, stem: stemOf(w), prefix: false, end });
  }
  const last = out[out.length - 1];
  if (last && last.end === query.length) last.prefix = true;
  return out;
}

// camelParts splits an identifier at its humps, as tokens.go does.
function camelParts(w) {
  if (!HUMP.test(w)) return [w]; // a hump is a capital after the first letter
  const cs = [...w];
  const parts = [];
  let start = 0;
  for (let i = 1; i < cs.length; i++) {
    const [p, r, n] = [cs[i - 1], cs[i], cs[i + 1] || ""];
    if (UPPER.test(r) && (LOWER.test(p) || DIGIT.test(p) || (UPPER.test(p) && LOWER.test(n)))) {
      parts.push(cs.slice(start, i).join(""));
      start = i;
    }
  }
  parts.push(cs.slice(start).join(""));
  return parts;
}

// indexTerms calls f with each term the index makes of one compound, as
// tokens.go's Terms does (the compound's parts or, for an identifier,
// its parts, and the compound's parts joined unless that is an
// identifier).
// A term whose word want rejects is skipped before it is stemmed.
export function indexTerms(compound, f, want) {
  const emit = (w) => {
    if (isTerm(w) && (!want || want(w))) f({ word: w, stem: stemOf(w) });
  };
  const parts = compound.split("-");
  for (const p of parts) {
    const lw = p.toLowerCase();
    if (p.includes("_")) {
      for (const q of lw.split("_")) emit(q);
    } else {
      emit(lw);
      const humps = camelParts(p);
      if (humps.length > 1) for (const h of humps) emit(h.toLowerCase());
    }
  }
  if (parts.length > 1 && !compound.includes("_")) emit(compound.replace(/-/g, "").toLowerCase());
}

// tokenize returns the index terms of a text, in order (for tests).
export function tokenize(text) {
  const out = [];
  for (const m of text.matchAll(WORD)) indexTerms(m[0], (t) => out.push(t.stem + "/" + t.word));
  return out;
}

const VLQ = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const VLQ_VALUE = new Map([...VLQ].map((c, i) => [c, i]));

// readVLQ decodes base64 VLQ numbers from s, starting at character from,
// up to count of them; it returns the numbers and where it stopped.
export function readVLQ(s, from = 0, count = Infinity) {
  const out = [];
  let n = 0;
  let scale = 1; // not 2 ** shift, a floating point number
  let i = from;
  for (; i < s.length && out.length < count; i++) {
    const d = VLQ_VALUE.get(s[i]);
    if (d === undefined) throw new Error("search index: bad number");
    n += (d & 31) * scale;
    if (d & 32) scale *= 32;
    else {
      out.push(n);
      n = 0;
      scale = 1;
    }
  }
  out.end = i;
  return out;
}

// VLQ_CODE is the value of each character of the alphabet, by code, and
// -1 for others: postings are read a character at a time, thousands of
// them for a common word of a large site.
const VLQ_CODE = new Int8Array(128).fill(-1);
for (let k = 0; k < VLQ.length; k++) VLQ_CODE[VLQ.charCodeAt(k)] = k;

// BitReader reads the bits of base64 characters of s from i, first bit
// highest: the few numbers that head a list of postings (readCodes reads
// the rest).
class BitReader {
  constructor(s, i) {
    this.s = s;
    this.i = i;
    this.acc = 0; // the last character read
    this.left = 0; // its bits not yet read
  }

  // bit is the next bit, or -1 past the end.
  bit() {
    if (this.left === 0 && !this.fill()) return -1;
    this.left--;
    return (this.acc >> this.left) & 1;
  }

  // fill reads the next character, or reports that there is none.
  fill() {
    if (this.i >= this.s.length) return false;
    const c = this.s.charCodeAt(this.i++);
    this.acc = c < 128 ? VLQ_CODE[c] : -1;
    if (this.acc < 0) throw new Error("search index: bad number");
    this.left = 6;
    return true;
  }

  // bits reads n bits as a number, as many at a time as the character
  // holds: a common word's postings on a large site are tens of
  // thousands of codes, decoded while the reader waits.
  bits(n) {
    let v = 0;
    while (n > 0) {
      if (this.left === 0 && !this.fill()) return -1;
      const take = Math.min(n, this.left);
      this.left -= take;
      v = v * (1 << take) + ((this.acc >> this.left) & ((1 << take) - 1));
      n -= take;
    }
    return v;
  }
}

// postings decodes a term's postings into parallel arrays of entry
// numbers and classes (format: encodePostings in search.go). firstEntry
// is each page's first entry, where a common term's mentions in passing
// are. Each form is read by a short function of its own (see bestOf),
// into typed arrays: a number read as the product of a power of two
// would otherwise make the arrays hold floating point, and every loop over
// them run code the engine made for other arrays.
export function postings(s, firstEntry) {
  const form = VLQ_VALUE.get(s[0]);
  if (form >= 32) return readSplit(new BitReader(s, 1), form - 32, firstEntry);
  if (form >= 2) return readRice(new BitReader(s, 1), form - 2, Math.floor((6 * (s.length - 1)) / form));
  if (form === 0) return readSparse(s);
  throw new Error("search index: unknown postings");
}

// readSplit reads the split form: the entries that are not mentions in
// passing, each with its class, then the pages of those, merged in order.
function readSplit(r, k, firstEntry) {
  let zeros = 0;
  while (r.bit() === 0) zeros++;
  const n = (1 << zeros) + r.bits(zeros) - 1;
  const strong = new Int32Array(n);
  const strongClass = new Uint8Array(n);
  readCodes(r, k, n, SPLIT_CLASS, strong, strongClass);
  const kp = r.bits(5);
  // Each page's code has at least kp+1 bits.
  const most = Math.min(firstEntry.length - 1, Math.floor((r.left + 6 * (r.s.length - r.i)) / (kp + 1)));
  const pages = new Int32Array(most);
  const count = readCodes(r, kp, most, NO_CLASS, pages, null);
  const entries = new Int32Array(n + count);
  const classes = new Uint8Array(n + count);
  let j = 0;
  let at = 0;
  for (let p = 0; p < count; p++) {
    const e = firstEntry[pages[p]];
    for (; j < n && strong[j] < e; j++, at++) {
      entries[at] = strong[j];
      classes[at] = strongClass[j];
    }
    entries[at++] = e; // class 0
  }
  for (; j < n; j++, at++) {
    entries[at] = strong[j];
    classes[at] = strongClass[j];
  }
  return trimmed(entries, classes, at);
}

// readRice reads gaps with parameter k, each followed by its class's
// code: at most most of them.
function readRice(r, k, most) {
  const entries = new Int32Array(most);
  const classes = new Uint8Array(most);
  return trimmed(entries, classes, readCodes(r, k, most, RICE_CLASS, entries, classes));
}

// trimmed returns the first n postings read into entries and classes. The
// readers return through it: code the engine optimized while in a reader's
// loop would otherwise meet, on leaving it, code that never ran before.
function trimmed(entries, classes, n) {
  return { entries: entries.subarray(0, n), classes: classes.subarray(0, n) };
}

// The class codes that follow a gap: none, the split form's (0, 10, 11 for
// classes 1, 2, 3) and the Rice form's (0, 10, 110, 111 for 0 to 3).
const NO_CLASS = 0;
const SPLIT_CLASS = 1;
const RICE_CLASS = 2;

// readCodes reads from r up to most Rice codes with parameter k, gaps less
// one between numbers from 0 up, each followed by a class code of the kind
// given, into out and outClass; it stops early at the padding (ones to the
// end), and returns how many it read. It is the loop of reading postings,
// tens of thousands of codes for a common word of a large site, so it
// reads r's characters itself, in local variables, rather than calling
// r's methods for every bit.
function readCodes(r, k, most, kind, out, outClass) {
  const s = r.s;
  let i = r.i;
  let acc = r.acc;
  let left = r.left;
  let at = 0;
  let prev = -1;
  codes: for (; at < most; at++) {
    // The quotient: ones up to a zero, counted a character at a time.
    let q = 0;
    for (;;) {
      if (left === 0) {
        if (i >= s.length) break codes; // the padding
        acc = VLQ_CODE[s.charCodeAt(i++)];
        if (!(acc >= 0)) throw new Error("search index: bad number");
        left = 6;
      }
      const zeros = ~acc & ((1 << left) - 1); // the unread bits, inverted
      if (zeros === 0) {
        q += left;
        left = 0;
        continue;
      }
      const h = 31 - Math.clz32(zeros); // the first zero
      q += left - 1 - h;
      left = h;
      break;
    }
    // Then k bits, and the class's code, a bit at a time.
    let v = q;
    let c = 0;
    for (let b = 0, bits = k + (kind === NO_CLASS ? 0 : 3); b < bits; b++) {
      if (left === 0) {
        if (i >= s.length) throw new Error("search index: postings cut short");
        acc = VLQ_CODE[s.charCodeAt(i++)];
        if (!(acc >= 0)) throw new Error("search index: bad number");
        left = 6;
      }
      left--;
      const bit = (acc >> left) & 1;
      if (b < k) v = v * 2 + bit;
      else if (kind === SPLIT_CLASS) {
        // 0, or 1 then one more bit.
        if (b === k) {
          c = 1;
          if (bit === 0) break;
        } else {
          c = 2 + bit;
          break;
        }
      } else {
        // Ones, up to three, ended by a zero.
        if (bit === 0) break;
        c++;
      }
    }
    prev += v + 1;
    out[at] = prev;
    if (outClass !== null) outClass[at] = c;
  }
  r.i = i;
  r.acc = acc;
  r.left = left;
  return at;
}

// readSparse reads VLQ numbers, each a gap times four plus a class.
function readSparse(s) {
  const xs = readVLQ(s, 1);
  const entries = new Int32Array(xs.length);
  const classes = new Uint8Array(xs.length);
  for (let i = 0, prev = -1; i < xs.length; i++) {
    prev += (xs[i] >> 2) + 1;
    entries[i] = prev;
    classes[i] = xs[i] & 3;
  }
  return trimmed(entries, classes, xs.length);
}

// Rows of distance's table, kept between calls: a misspelt word is
// compared with every word of its first letter, thousands on a large site,
// and the first query after a page loads runs this before the engine has
// compiled it, so every operation saved counts.
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

// distance is the optimal string alignment distance between a and b (edits,
// with a swap of two neighbours one edit: "cahce" is one from "cache"), or
// max+1 once it must exceed max. Only the cells within max of the diagonal
// are worked out (Ukkonen's band): the others are more than max.
export function distance(a, b, max) {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (rows[0].length < m + 2) rows = rows.map(() => new Int32Array(2 * m + 2));
  const far = max + 1;
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    const lo = i > max ? i - max : 1;
    const hi = i + max < m ? i + max : m;
    cur[0] = i;
    if (lo > 1) cur[lo - 1] = far;
    const ca = a.charCodeAt(i - 1);
    const pa = i > 1 ? a.charCodeAt(i - 2) : -1;
    let best = lo === 1 ? i : far;
    for (let j = lo; j <= hi; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = prev[j - 1] + (ca === cb ? 0 : 1);
      if (prev[j] + 1 < d) d = prev[j] + 1;
      if (cur[j - 1] + 1 < d) d = cur[j - 1] + 1;
      if (j > 1 && ca === b.charCodeAt(j - 2) && pa === cb && prev2[j - 2] + 1 < d) d = prev2[j - 2] + 1;
      cur[j] = d;
      if (d < best) best = d;
    }
    if (hi < m) cur[hi + 1] = far; // the next row reads one cell further
    if (best > max) return far;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[m] < far ? prev[m] : far;
}

// slug is a printable ASCII heading's anchor, as markdown.Slug makes it
// (asciiSlug in fragment.go): lower case, spaces as hyphens, only letters,
// digits, hyphens and underscores kept.
export function slug(h) {
  return h.toLowerCase().replace(/[^a-z0-9 _-]/g, "").replace(/ /g, "-");
}

// common is the length of the common start of a and b.
function common(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

// maxEdits is how far a query term may be from a word it finds: one edit
// from four letters, two from eight; none for words with digits and parts
// of identifiers, which are names, not prose.
function maxEdits(t) {
  const w = t.word;
  if (t.ident !== undefined || !LETTERS.test(w)) return 0;
  const n = length(w);
  return n >= 8 ? 2 : n >= 4 ? 1 : 0;
}

// upper bound of a range of strings starting with s.
const after = (s) => s + "\uffff";

function search(arr, key, f) {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (f(arr[mid]) <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1; // the last element whose key is ≤ key, or -1
}

// PageHit is a page found: its number, its score and, listed when asked
// (most pages found are never shown), its sections: [{entry, score}],
// best first.
class PageHit {
  constructor(page, score, from, to, scores) {
    this.page = page;
    this.score = score;
    this.from = from;
    this.to = to;
    this.scores = scores;
    this.list = null;
  }

  get entries() {
    if (!this.list) {
      this.list = [];
      if (this.scores) for (let e = this.from; e < this.to; e++) if (this.scores[e] > 0) this.list.push({ entry: e - this.from, score: this.scores[e] });
      this.list.sort((a, b) => b.score - a.score || a.entry - b.entry);
    }
    return this.list;
  }
}

// readChunk reads a vocabulary chunk whose first stem is number ord:
// [{stem, ord, df, variants}], setting each variant's stem in words. It
// reads with indexOf and charCodeAt, not split and destructuring: a first
// letter's chunks are thousands of lines on a large site, read by code the
// engine has not compiled yet.
function readChunk(data, ord, words) {
  const list = new Array(data.length);
  let prev = "";
  for (let i = 0; i < data.length; i++) {
    const line = data[i];
    const sp = line.indexOf(" ");
    const sp2 = line.indexOf(" ", sp + 1);
    // The stem: the first character says how much of the one before.
    const keep = VLQ_CODE[line.charCodeAt(0)];
    const s = keep > 0 ? prev.slice(0, keep) + line.slice(1, sp) : line.slice(1, sp);
    prev = s;
    const variants = [];
    list[i] = { stem: s, ord: ord + i, df: +line.slice(sp + 1, sp2 < 0 ? line.length : sp2), variants };
    for (let at = sp2; at >= 0; ) {
      const next = line.indexOf(" ", at + 1);
      const end = next < 0 ? line.length : next;
      // The letters to drop from the stem, if any, then those to add.
      let k = at + 1;
      let drop = 0;
      for (let ch; k < end && (ch = line.charCodeAt(k)) >= 48 && ch <= 57; k++) drop = drop * 10 + ch - 48;
      const word = s.slice(0, s.length - drop) + line.slice(k, end);
      variants.push(word);
      words.set(word, s);
      at = next;
    }
  }
  return list;
}

export class SearchIndex {
  constructor(meta) {
    if (!meta || meta.v !== VERSION) throw new Error("search index: unknown format");
    this.meta = meta;
    setStopWords(meta.stop);
    this.files = new Map(); // name → parsed JSON
    // Chunks and shards, in order: {first, ord, file} and {ord, file}.
    this.chunks = [];
    for (let i = 0; i < meta.vocab.length; i += 3) this.chunks.push({ first: meta.vocab[i], ord: +meta.vocab[i + 1], file: meta.vocab[i + 2] });
    this.shards = [];
    for (let i = 0; i < meta.terms.length; i += 2) this.shards.push({ ord: +meta.terms[i], file: meta.terms[i + 1] });
    // Entry numbers: the first entry of each page.
    this.firstEntry = [0];
    for (const c of readVLQ(meta.counts)) this.firstEntry.push(this.firstEntry[this.firstEntry.length - 1] + c);
    this.synonyms = meta.syn;
    this.vocab = new Map(); // stem → {ord, df}
    this.words = new Map(); // a word as written → its stem
    this.postingCache = new Map();
    this.candidateCache = new Map();
  }

  // add gives the index a file it asked for.
  add(name, data) {
    if (this.files.has(name)) return;
    this.files.set(name, data);
    const c = this.chunks.findIndex((c) => c.file === name);
    if (c < 0) return;
    this.candidateCache.clear();
    const terms = readChunk(data, this.chunks[c].ord, this.words);
    for (const t of terms) this.vocab.set(t.stem, t);
    this.chunks[c].terms = terms;
  }

  // chunksFor lists the vocabulary chunks a term needs: the one that would
  // hold its stem, and for a word that may be misspelt or is being typed,
  // every chunk of its first letter.
  chunksFor(t) {
    const at = (s) => Math.max(0, search(this.chunks, s, (c) => c.first));
    const need = new Set([at(t.stem), at(t.word)]);
    if (t.prefix || maxEdits(t) > 0) {
      const first = t.word[0];
      const from = at(first);
      const to = at(after(first));
      for (let i = from; i <= to; i++) need.add(i);
    }
    return need;
  }

  // concepts groups a query's terms into what must be found: each term,
  // the parts of an identifier as a phrase, or a phrase of the synonym
  // table with the other phrases of its group.
  concepts(query) {
    const terms = queryTerms(query);
    const stems = terms.map((t) => t.stem);
    const out = [];
    for (let i = 0; i < terms.length; ) {
      let best = null;
      for (const group of this.synonyms) {
        for (const phrase of group) {
          if (phrase.length > (best ? best.phrase.length : 0) && phrase.every((s, k) => stems[i + k] === s)) best = { group, phrase };
        }
      }
      if (!best) {
        let n = 1;
        if (terms[i].ident !== undefined) while (terms[i + n] && terms[i + n].ident === terms[i].ident) n++;
        out.push([{ terms: terms.slice(i, i + n), weight: EXACT }]);
        i += n;
        continue;
      }
      const own = terms.slice(i, i + best.phrase.length);
      const alts = [{ terms: own, weight: EXACT }];
      for (const phrase of best.group) {
        if (phrase === best.phrase) continue;
        alts.push({ terms: phrase.map((s) => ({ word: s, stem: s, prefix: false, synonym: true })), weight: SYNONYM });
      }
      out.push(alts);
      i += best.phrase.length;
    }
    return out;
  }

  // candidates lists the index's terms a query term finds: {stem, weight}.
  // It needs the term's vocabulary chunks.
  candidates(t) {
    const key = [t.word, t.stem, t.prefix, !!t.synonym, t.ident !== undefined].join("\u0000");
    let out = this.candidateCache.get(key);
    if (!out) this.candidateCache.set(key, (out = this.findCandidates(t)));
    return out;
  }

  findCandidates(t) {
    const out = new Map();
    out.optional = new Set(); // stems whose shards are not worth a fetch
    const put = (s, w) => {
      if ((out.get(s) || 0) < w) out.set(s, w);
    };
    if (this.vocab.has(t.stem)) put(t.stem, EXACT);
    if (this.words.has(t.word)) put(this.words.get(t.word), EXACT);
    if (t.synonym) return out;
    if (t.prefix && length(t.word) >= 3) {
      const found = [];
      for (const i of this.chunksFor(t)) {
        for (const e of this.chunks[i].terms || []) {
          if (out.has(e.stem)) continue;
          let hit = e.stem.startsWith(t.stem) || e.stem.startsWith(t.word);
          for (let j = 0; !hit && j < e.variants.length; j++) hit = e.variants[j].startsWith(t.word);
          if (hit) found.push(e);
        }
      }
      found.sort((a, b) => b.df - a.df || a.ord - b.ord);
      // The commonest completions are fetched; the rest count when their
      // shard is already here, so each keystroke of a word costs at most
      // FETCH_PREFIX shards.
      found.slice(0, MAX_PREFIX).forEach((e, i) => {
        put(e.stem, PREFIX);
        if (i >= FETCH_PREFIX) out.optional.add(e.stem);
      });
    }
    const edits = maxEdits(t);
    if (!out.size && edits > 0) {
      // The nearest misses that keep most of the word's start (typing
      // goes wrong towards the end more often): "shardng" is one edit
      // from both sharding and sharing, and means the first.
      const found = [];
      for (const i of this.chunksFor(t)) {
        for (const e of this.chunks[i].terms || []) {
          let bestD = edits + 1;
          let bestP = 0;
          for (let j = -1; j < e.variants.length; j++) {
            const w = j < 0 ? e.stem : e.variants[j];
            if (Math.abs(w.length - t.word.length) > edits) continue; // the commonest case, spared a call
            const d = distance(t.word, w, edits);
            if (d > bestD) continue;
            const p = common(t.word, w);
            if (d < bestD || p > bestP) [bestD, bestP] = [d, p];
          }
          if (bestD <= edits) found.push([bestD, bestP, e]);
        }
      }
      found.sort((a, b) => a[0] - b[0] || b[1] - a[1] || b[2].df - a[2].df || a[2].ord - b[2].ord);
      for (const [d, p, e] of found.slice(0, MAX_FUZZY)) if (d === found[0][0] && p === found[0][1]) put(e.stem, FUZZY[d]);
    }
    return out;
  }

  // missing lists the files the query needs that have not been added:
  // vocabulary chunks first, then the posting shards of the terms found.
  missing(query) {
    const need = new Set();
    const concepts = this.concepts(query);
    for (const alts of concepts) {
      for (const a of alts) {
        for (const t of a.terms) {
          for (const i of this.chunksFor(t)) if (!this.files.has(this.chunks[i].file)) need.add(this.chunks[i].file);
        }
      }
    }
    if (need.size) return [...need];
    for (const alts of concepts) {
      for (const a of alts) {
        for (const t of a.terms) {
          const c = this.candidates(t);
          for (const s of c.keys()) {
            const f = this.shardOf(this.vocab.get(s).ord).file;
            if (!this.files.has(f) && !c.optional.has(s)) need.add(f);
          }
        }
      }
    }
    return [...need];
  }

  shardOf(ord) {
    return this.shards[Math.max(0, search(this.shards, ord, (s) => s.ord))];
  }

  // postingsOf returns the decoded postings of a stem, whose shard has
  // been added.
  postingsOf(s) {
    let p = this.postingCache.get(s);
    if (!p) {
      const t = this.vocab.get(s);
      const shard = this.shardOf(t.ord);
      p = postings(this.files.get(shard.file)[t.ord - shard.ord], this.firstEntry);
      this.postingCache.set(s, p);
    }
    return p;
  }

  idf(s) {
    const n = this.meta.entries;
    const df = this.vocab.get(s).df;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  // entryPage maps entry numbers to pages, made once (by warm, if the
  // page was idle before the first query).
  entryPages() {
    if (!this.entryPage) {
      const fe = this.firstEntry;
      this.entryPage = new Int32Array(this.meta.entries);
      for (let p = 0; p + 1 < fe.length; p++) this.entryPage.fill(p, fe[p], fe[p + 1]);
    }
    return this.entryPage;
  }

  // sectionRoom is room for the scores of a page's sections, as many as
  // the page with the most has, made once.
  sectionRoom() {
    if (!this.room) {
      const fe = this.firstEntry;
      let most = 0;
      for (let p = 0; p + 1 < fe.length; p++) most = Math.max(most, fe[p + 1] - fe[p]);
      this.room = new Float64Array(most);
    }
    return this.room;
  }

  // warmSteps returns, in steps for the page's idle moments, what every
  // query of this index needs made, then the module's warmSteps (show
  // shows their answers): search.js runs them after the metadata arrives.
  warmSteps(show) {
    return [() => this.prepare(), ...warmSteps(this.meta.stop, this.firstEntry.length - 1, show)];
  }

  // prepare makes the map from entries to pages, the room for a page's
  // sections and the scratch arrays of a one-word query: a few hundred
  // kilobytes each on a large site, enough to set off a garbage
  // collection if allocated during the query.
  prepare() {
    this.entryPages();
    this.sectionRoom();
    const pool = (this.pool ||= new Map());
    for (const [Type, n] of [[Float64Array, 2], [Uint8Array, 1]]) {
      const list = pool.get(Type) || [];
      while (list.length < n) list.push(new Type(this.meta.entries));
      pool.set(Type, list);
    }
  }

  // scoreTerm gives, in m.v, every entry holding a term's candidates the
  // best score they give it (listing in m.hit the entries it scores); no
  // candidate's rarity counts for more than maxIdf. Entries whose page
  // title holds the term are set in titled.v (and listed in titled.hit).
  scoreTerm(t, weight, m, maxIdf, titled) {
    for (const [s, w] of this.candidates(t)) {
      if (!this.files.has(this.shardOf(this.vocab.get(s).ord).file)) continue; // optional, not fetched
      const { entries, classes } = this.postingsOf(s);
      bestOf(entries, classes, weight * w * Math.min(this.idf(s), maxIdf), m.v, m.hit, titled.v, titled.hit);
    }
  }

  // search ranks pages for the query, whose files (missing) have been
  // added: an Answer (count, top(n), stems, prefixes).
  // Every concept of the query must be found in a page (not necessarily in
  // one section); a section's score adds up what it found, and a page's is
  // its best section's plus a share of the others (half the second, a
  // quarter of the third…), so a page about the subject comes before one
  // section that mentions it. A section lacking a concept counts half,
  // unless the page's title has it: the index keeps no mention in passing
  // of a word the page says more strongly (fragment.go, dropPassing), and
  // every section of a page is about its title's subject.
  // Scores are kept in arrays by entry number, not maps: a common word is
  // in thousands of entries of a large site, and this runs on every key.
  // The loops over entries and pages are the functions below the class,
  // each short (see warm).
  search(query) {
    const concepts = this.concepts(query).slice(0, MAX_CONCEPTS);
    const stems = new Set();
    const words = [];
    const fe = this.firstEntry;
    const pageCount = fe.length - 1;
    if (!concepts.length) return new Answer([], null, fe, null, stems, words);
    const used = []; // scratch arrays to give back, with the entries set
    const take = (Type) => {
      const pool = (this.pool ||= new Map()).get(Type) || [];
      const a = { v: pool.pop() || new Type(this.meta.entries), hit: [] };
      used.push([Type, a]);
      return a;
    };
    const perConcept = concepts.map((alts) => {
      const titled = take(Uint8Array);
      // Synonyms share the rarity of the commonest of them, as Lucene's
      // synonym queries do: a rare synonym is no better a match than the
      // common word it stands for.
      // (A phrase is as rare as its rarest word.)
      let maxIdf = Infinity;
      if (alts.length > 1) {
        for (const a of alts) {
          let rarest = 0;
          for (const t of a.terms) for (const [s, m] of this.candidates(t)) if (m === EXACT) rarest = Math.max(rarest, this.idf(s));
          if (rarest > 0) maxIdf = Math.min(maxIdf, rarest);
        }
      }
      let best = null;
      for (const a of alts) {
        const scores = a.terms.map((t) => {
          const m = take(Float64Array);
          this.scoreTerm(t, a.weight, m, maxIdf, titled);
          for (const s of this.candidates(t).keys()) stems.add(s);
          if (t.prefix) words.push(t.word);
          return m;
        });
        // A lone word is its own concept's scores: the commonest query.
        if (alts.length === 1 && scores.length === 1) {
          best = scores[0];
          break;
        }
        best ||= take(Float64Array);
        phraseInto(scores, best);
      }
      return { v: best.v, hit: best.hit, titled: titled.v };
    });
    // The pages where every concept is found, and each entry of those
    // pages: its score, and (with more than one concept) the concepts it
    // has and those its page's title has (bit ci). The scores stay with
    // the answer, whose pages list their sections from them when shown.
    const all = concepts.length;
    const found = [];
    let total;
    let mask = null;
    let titledMask = null;
    if (all === 1) {
      total = perConcept[0].v;
      used.splice(used.findIndex(([, a]) => a.v === total), 1); // kept
      pagesOf(perConcept[0].hit, this.entryPages(), new Uint8Array(pageCount), found);
    } else {
      const entryPage = this.entryPages();
      const pagesFound = new Int32Array(pageCount);
      const last = new Int32Array(pageCount).fill(-1);
      titledMask = new Int32Array(pageCount);
      perConcept.forEach(({ hit, titled }, ci) => countPages(hit, titled, ci, entryPage, last, pagesFound, titledMask));
      total = new Float64Array(this.meta.entries);
      mask = take(Int32Array);
      perConcept.forEach(({ v, hit }, ci) => collect(v, hit, ci, all, entryPage, pagesFound, found, total, mask.v, mask.hit));
    }
    const score = new Float64Array(pageCount);
    pageScores(found, fe, total, mask && mask.v, titledMask, all, score, this.sectionRoom());
    // The scratch arrays are cleared and kept for the next query.
    for (const [Type, a] of used) {
      clear(a.v, a.hit);
      this.pool.get(Type) ? this.pool.get(Type).push(a.v) : this.pool.set(Type, [a.v]);
    }
    return new Answer(found, score, fe, total, stems, words);
  }

  docFile(page) {
    return this.meta.docs[Math.floor(page / this.meta.per)];
  }

  // docsMissing lists the page-record files needed to show a result's
  // first n pages.
  docsMissing(result, n = PAGES) {
    return [...new Set(result.top(n).map((p) => this.docFile(p.page)))].filter((f) => !this.files.has(f));
  }

  // doc returns a page's record: {url, title, trail, entries: [{anchor,
  // heading, text, aux, kind}]}, with what the record leaves out worked
  // out as the build would (fragment.go, entryFields).
  doc(page) {
    const [url, title, trail, entries] = this.files.get(this.docFile(page))[page % this.meta.per];
    let section = "";
    return {
      url,
      title,
      trail,
      entries: entries.map(([heading = "", text = "", aux = "", kind = 0, anchor]) => {
        if (kind === 0) section = heading;
        else if (!heading) heading = "Calculator: " + (section || title);
        if (anchor === undefined) anchor = slug(heading);
        return { anchor, heading, text, aux, kind };
      }),
    };
  }
}

// The loops of a query, over postings, entries and pages: tens of
// thousands of turns for a common word of a large site, run while the
// reader waits. Each is a short function of its own, not a stretch of
// search(): V8 compiles a function's optimized code once it has run for a
// while relative to its own length, so a short loop is optimized within
// its first query (and by warm, before it) while the same loop inside a
// long method would run the whole first query in the interpreter.

// bestOf raises m[e] to each posting's score, f times its class's weight,
// listing in hit the entries it scores first, and marks in titled (listed
// in tHit) the entries whose page title has the term.
function bestOf(entries, classes, f, m, hit, titled, tHit) {
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k];
    const c = classes[k];
    const v = f * CLASS_WEIGHT[c];
    const old = m[e];
    if (old === 0) hit.push(e);
    if (old < v) m[e] = v;
    if (c === TITLE && titled[e] === 0) {
      titled[e] = 1;
      tHit.push(e);
    }
  }
}

// phraseInto raises best.v to the score of the phrase whose words scored
// scores ({v, hit} each): found where all its words are, in one entry, it
// counts for more than one word, less than its words apart.
function phraseInto(scores, best) {
  const norm = Math.sqrt(scores.length);
  const first = scores[0];
  for (let i = 0; i < first.hit.length; i++) {
    const e = first.hit[i];
    let sum = first.v[e];
    let all = true;
    for (let j = 1; j < scores.length && all; j++) {
      const v = scores[j].v[e];
      all = v > 0;
      sum += v;
    }
    if (!all) continue;
    const v = sum / norm;
    if (best.v[e] === 0) best.hit.push(e);
    if (best.v[e] < v) best.v[e] = v;
  }
}

// pagesOf lists in found the pages of the entries hit, once each.
function pagesOf(hit, entryPage, seen, found) {
  for (let i = 0; i < hit.length; i++) {
    const p = entryPage[hit[i]];
    if (seen[p] === 0) {
      seen[p] = 1;
      found.push(p);
    }
  }
}

// countPages counts concept ci in the pages of the entries it hit (last
// holds the concept a page last counted) and sets its bit in titledMask
// for the pages whose title has it.
function countPages(hit, titled, ci, entryPage, last, pagesFound, titledMask) {
  for (let i = 0; i < hit.length; i++) {
    const e = hit[i];
    const p = entryPage[e];
    if (last[p] !== ci) {
      last[p] = ci;
      pagesFound[p]++;
    }
    if (titled[e]) titledMask[p] |= 1 << ci;
  }
}

// collect adds concept ci's scores v to total and its bit to mask (listing
// in maskHit the entries first set), for the entries of pages that have
// all the concepts, listing each such page in found once.
function collect(v, hit, ci, all, entryPage, pagesFound, found, total, mask, maskHit) {
  for (let i = 0; i < hit.length; i++) {
    const e = hit[i];
    const p = entryPage[e];
    if (pagesFound[p] < all) continue;
    if (pagesFound[p] === all) {
      pagesFound[p]++; // listed once
      found.push(p);
    }
    total[e] += v[e];
    if (mask[e] === 0) maskHit.push(e);
    mask[e] |= 1 << ci;
  }
}

// pageScores sets each page's score: its best section's, half the next's,
// a quarter of the one after… A section lacking a concept counts half,
// unless the page's title has it (see search); total is left holding the
// sections' scores so counted. Without a mask there is one concept, which
// every section scored has. best is scratch room for a page's sections.
function pageScores(found, fe, total, mask, titledMask, all, score, best) {
  for (let i = 0; i < found.length; i++) {
    const p = found[i];
    let n = 0;
    for (let e = fe[p]; e < fe[p + 1]; e++) {
      let v = total[e];
      if (v === 0) continue;
      if (mask !== null) {
        let has = 0;
        for (let b = mask[e] | titledMask[p]; b; b &= b - 1) has++;
        if (has < all) total[e] = v /= 2;
      }
      // In order, best first (a page has a few: no call to sort).
      let j = n++;
      for (; j > 0 && best[j - 1] < v; j--) best[j] = best[j - 1];
      best[j] = v;
    }
    let s = 0;
    for (let j = 0, share = 1; j < n; j++, share /= 2) s += best[j] * share;
    score[p] = s;
  }
}

// clear zeroes the entries of v listed in hit.
function clear(v, hit) {
  for (let i = 0; i < hit.length; i++) v[hit[i]] = 0;
}

// better reports whether page p ranks above page q: a higher score, or
// the same and an earlier page.
function better(score, p, q) {
  return score[p] > score[q] || (score[p] === score[q] && p < q);
}

// topOf returns the n best of the pages found, best first. A reader sees
// eight pages of thousands found: those are picked in one pass, and the
// whole list is sorted only when many are asked for.
function topOf(found, score, n) {
  if (n >= 64 || n * 8 >= found.length) return found.slice().sort((p, q) => score[q] - score[p] || p - q).slice(0, n);
  const top = [];
  for (let i = 0; i < found.length; i++) {
    const p = found[i];
    if (top.length === n) {
      if (!better(score, p, top[n - 1])) continue;
      top.pop();
    }
    let j = top.length;
    top.push(p);
    for (; j > 0 && better(score, p, top[j - 1]); j--) top[j] = top[j - 1];
    top[j] = p;
  }
  return top;
}

// Answer is what search found: how many pages (count), the best of them
// as PageHits (top(n)), the stems the query matched and the words being
// typed (prefixes), for marking what is shown.
class Answer {
  constructor(found, score, fe, total, stems, prefixes) {
    this.found = found;
    this.score = score;
    this.fe = fe;
    this.total = total;
    this.stems = stems;
    this.prefixes = prefixes;
    this.best = [];
  }

  get count() {
    return this.found.length;
  }

  // top returns the n best pages found, best first.
  top(n) {
    n = Math.min(n, this.found.length);
    if (this.best.length < n) {
      const { score, fe, total } = this;
      this.best = topOf(this.found, score, n).map((p) => new PageHit(p, score[p], fe[p], fe[p + 1], total));
    }
    return this.best.slice(0, n);
  }
}

// marked reports whether a word of a text shown is one the result found:
// one whose index terms include a stem the query matched, or that starts
// with a word being typed. Answers are kept with the result, because the
// texts shown for one answer repeat their words and working out a word's
// terms (splitting, stemming) is most of the cost of showing it.
// A stem starts with its word's first two letters but for three words
// (tokens_test.go checks it on Snowball's vocabulary), so a word whose
// first two letters begin no stem found and no word typed is not stemmed
// at all.
function marked(word, result) {
  let seen = result.marked;
  if (!seen) {
    seen = result.marked = new Map();
    result.starts = new Set();
    for (const s of result.stems) result.starts.add(s.slice(0, 2));
    for (const p of result.prefixes) result.starts.add(p.slice(0, 2));
  }
  let hit = seen.get(word);
  if (hit === undefined) {
    hit = false;
    const want = (w) => {
      if (hit) return false;
      const two = w.slice(0, 2);
      return result.starts.has(two) || (two in STEM_STARTS && result.starts.has(STEM_STARTS[two]));
    };
    indexTerms(word, (t) => {
      if (result.stems.has(t.stem) || result.prefixes.some((p) => t.word.startsWith(p))) hit = true;
    }, want);
    seen.set(word, hit);
  }
  return hit;
}

// STEM_STARTS are the first two letters of the stems Snowball gives words
// starting otherwise: dying, lying and tying become die, lie and tie.
const STEM_STARTS = { dy: "di", ly: "li", ty: "ti" };

// matches returns the [start, end) ranges of the words of text that the
// result found (see marked).
export function matches(text, result) {
  const out = [];
  for (const m of text.matchAll(WORD)) if (marked(m[0], result)) out.push([m.index, m.index + m[0].length]);
  return out;
}

// snippet cuts about size characters of text around its first match,
// returning the text and the matches' ranges in it. A section's text can
// be long: it is read only as far as the cut.
export function snippet(text, result, size = 160) {
  const words = text.matchAll(WORD);
  let first = null;
  for (let w; !(w = words.next()).done; ) {
    if (marked(w.value[0], result)) {
      first = [w.value.index, w.value.index + w.value[0].length];
      break;
    }
  }
  let start = 0;
  if (first) {
    const at = first[0];
    start = Math.max(0, at - 40);
    if (start > 0) {
      const space = text.indexOf(" ", start);
      start = space >= 0 && space < at ? space + 1 : start;
    }
  }
  let end = Math.min(text.length, start + size);
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    if (space > start + size / 2) end = space;
  }
  const pre = start > 0 ? "… " : "";
  const cut = pre + text.slice(start, end) + (end < text.length ? " …" : "");
  const ranges = [];
  const shift = pre.length - start;
  if (first && first[1] <= end) ranges.push([first[0] + shift, first[1] + shift]);
  if (first) {
    for (let w; !(w = words.next()).done && w.value.index < end; ) {
      const b = w.value.index + w.value[0].length;
      if (b <= end && marked(w.value[0], result)) ranges.push([w.value.index + shift, b + shift]);
    }
  }
  return { text: cut, ranges, found: first !== null };
}

// WARM is made-up text for warm: words of several lengths and forms, a
// compound and an identifier.
const WARM =
  "Sharding replicated caches: consistent hashing spreads requests per second across nodes, and readHeavy " +
  "read_qps-style workloads tolerate stale replicas while writes are queued, batched, retried and acknowledged.";

// WARM_PAGES is the largest made-up site warm uses, in pages of four
// entries: enough turns of each loop of a query for the engine to
// optimize it (a few thousand), few enough to take a few milliseconds. A
// smaller site gets a made-up site of its own size, as its queries are.
const WARM_PAGES = 1000;

// BitWriter writes bits as base64 characters, first bit highest, for
// warm's made-up postings (search.go's bitWriter writes the real ones).
class BitWriter {
  constructor(form) {
    this.s = VLQ[form];
    this.acc = 0;
    this.n = 0;
  }

  bits(v, n) {
    for (let i = n - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((v >> i) & 1);
      if (++this.n === 6) {
        this.s += VLQ[this.acc];
        this.acc = 0;
        this.n = 0;
      }
    }
  }

  rice(v, k) {
    for (let q = v >> k; q > 0; q--) this.bits(1, 1);
    this.bits(0, 1);
    this.bits(v, k);
  }

  // done pads the last character with ones, as the build does.
  done() {
    while (this.n !== 0) this.bits(1, 1);
    return this.s;
  }
}

// madeUp writes postings for a made-up site as the build would
// (search.go): a common word in the split form, on every page in passing
// and strongly in one entry of three pages out of four, and a rarer one in
// the Rice form, in every third entry. It returns them with what they
// hold, and the site's first entry of each page.
export function madeUp(pages = WARM_PAGES) {
  const firstEntry = [];
  for (let p = 0; p <= pages; p++) firstEntry.push(4 * p);

  const common = { entries: [], classes: [] };
  const strong = [];
  for (let p = 0; p < pages; p++) {
    common.entries.push(4 * p);
    common.classes.push(0);
    if (p % 4 !== 3) {
      const e = 4 * p + 1 + (p % 3);
      strong.push([e, 1 + (p % 3)]);
      common.entries.push(e);
      common.classes.push(1 + (p % 3));
    }
  }
  const split = new BitWriter(32 + 2);
  const n = strong.length + 1;
  const width = 32 - Math.clz32(n);
  split.bits(0, width - 1);
  split.bits(n, width);
  let prev = -1;
  for (const [e, c] of strong) {
    split.rice(e - prev - 1, 2);
    split.bits(c === 1 ? 0 : c, c === 1 ? 1 : 2); // 0, 10 or 11
    prev = e;
  }
  split.bits(0, 5); // the pages' parameter, 0: they follow one another
  for (let p = 0; p < pages; p++) split.rice(0, 0);

  const rarer = { entries: [], classes: [] };
  const rice = new BitWriter(2 + 1);
  prev = -1;
  for (let e = 2; e < 4 * pages; e += 3) {
    const c = e % 4;
    rarer.entries.push(e);
    rarer.classes.push(c);
    rice.rice(e - prev - 1, 1);
    rice.bits([0, 2, 6, 7][c], Math.min(c + 1, 3)); // 0, 10, 110 or 111
    prev = e;
  }
  return { firstEntry, split: split.done(), rice: rice.done(), common, rarer };
}

// WARM_WORDS is how many more stems of the letter r warm's made-up
// vocabulary has: as many as a letter has on a site of a few dozen pages,
// so that reading a chunk and looking through it for a misspelt word run
// long enough to be optimized.
const WARM_WORDS = 600;

// madeUpIndex returns the metadata and files of an index of a made-up
// site of so many pages, whose stop words are stop: two stems, replic
// and replica, hold madeUp's postings, WARM_WORDS stems of seven letters
// before them one posting each, and each page's record has texts to show.
export function madeUpIndex(stop, pages = WARM_PAGES) {
  const site = madeUp(pages);
  const meta = {
    v: VERSION,
    stop,
    syn: [],
    pages,
    entries: 4 * pages,
    counts: VLQ[4].repeat(pages),
    vocab: ["ra00000", "0", "v"],
    terms: ["0", "t"],
    docs: ["d"],
    per: pages,
  };
  const docs = [];
  for (let p = 0; p < pages; p++) {
    docs.push([`p${p}/`, `Replicated page ${p}`, ["Made up"], [["", WARM], ["Replicas", WARM], ["Leaders", "Writes go to the leader first."], ["", "", "read_qps replica_lag", 1]]]);
  }
  // The vocabulary's lines: how much of the stem before to keep, the rest
  // of the stem, its count of entries, and its variants. The made-up stems
  // are in order, ra00000 to ra000gn, before replic; each is in entry 1
  // (the sparse form: a gap of 1 times four plus class 1).
  const vocab = [];
  const postingsOf = [];
  for (let i = 0; i < WARM_WORDS; i++) {
    vocab.push(`${i ? VLQ[2] : "A"}${i ? "" : "ra"}${i.toString(36).padStart(5, "0")} 1${i % 3 ? "" : " s"}`);
    postingsOf.push("AF");
  }
  vocab.push(`Areplic ${site.common.entries.length} ated ation`, `Ga ${site.rarer.entries.length} s`);
  const files = { v: vocab, t: [...postingsOf, site.split, site.rice], d: docs };
  return { meta, files };
}

// warmSteps returns warm's work in steps of a few milliseconds, for
// search.js to run in the page's idle moments: reading words, stemming
// and distance; then queries of a made-up index of at most so many pages
// (stop: the real index's stop words), each read, found, ranked and given
// to show (by default, markShown): postings read a few times over, then a
// word being typed, and typed on (the engine has learnt from the first),
// two words, and a misspelt word. It fetches nothing, and leaves nothing a
// query reads but remembered stems.
export function warmSteps(stop, pages = WARM_PAGES, show = markShown) {
  const words = queryTerms(WARM).map((t) => t.word);
  const spell = () => {
    for (const a of words) {
      stem(a);
      for (const b of words) distance(a, b, a.length >= 8 ? 2 : 1);
    }
  };
  let ix = null;
  let files = null;
  let result = null;
  // A query is two steps, finding and showing: the first of each runs
  // code the engine has not compiled yet, tens of milliseconds.
  const find = (query) => () => {
    for (let need = ix.missing(query); need.length; need = ix.missing(query)) for (const f of need) ix.add(f, files[f]);
    result = ix.search(query);
    for (const f of ix.docsMissing(result)) ix.add(f, files[f]);
  };
  const shown = () => show(ix, result);
  return [
    spell,
    spell,
    () => {
      const made = madeUpIndex(stop, Math.max(8, Math.min(WARM_PAGES, pages)));
      files = made.files;
      ix = new SearchIndex(made.meta);
      ix.prepare();
    },
    () => {
      // Reading postings, the most of a first query on a large site, more
      // often than the queries below would (they keep what they read).
      for (let round = 0; round < 3; round++) for (const p of files.t) postings(p, ix.firstEntry);
    },
    find("rep"),
    shown,
    find("repl"),
    shown,
    find("replicas replic"),
    shown,
    find("replicz"),
    shown,
  ];
}

// markShown marks the words found in the texts an answer would show, as
// search.js does when it shows them.
function markShown(ix, result) {
  for (const hit of result.top(PAGES)) {
    const doc = ix.doc(hit.page);
    matches(doc.title, result);
    for (const h of hit.entries) {
      const e = doc.entries[h.entry];
      matches(e.heading, result);
      snippet(e.text, result);
      snippet(e.aux, result, 120);
    }
  }
}

// warm runs what a first query runs on made-up input, so that the engine
// has optimized that code before the query needs it: on a site of
// thousands of pages, a first query for a common word took three times as
// long as the next. It runs warmSteps at once.
export function warm(stop = []) {
  for (const step of warmSteps(stop)) step();
}
