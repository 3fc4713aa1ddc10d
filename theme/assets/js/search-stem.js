// The Snowball English ("Porter2") stemmer, for query words. The index is
// stemmed at build time by the Go module github.com/kljensen/snowball, and
// this is a port of it that must give the same stem for every word the
// tokenizer hands it: lowercase a–z, three letters or more (no apostrophes,
// which split words). internal/search tests the two against each other on
// Snowball's 29,000-word vocabulary and on every word of the guide.
//
// r1 and r2 are the starts of the regions the algorithm defines
// (https://snowballstem.org/texts/r1r2.html); a "Y" is a y that is not a
// vowel, lowercased at the end.

const SPECIAL = {
  skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl", gently: "gentl", ugly: "ugli",
  early: "earli", only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe", atlas: "atlas", cosmos: "cosmos",
  bias: "bias", andes: "andes", inning: "inning", innings: "inning", outing: "outing", outings: "outing",
  canning: "canning", cannings: "canning", herring: "herring", herrings: "herring", earring: "earring",
  earrings: "earring", proceed: "proceed", proceeds: "proceed", proceeded: "proceed", proceeding: "proceed",
  exceed: "exceed", exceeds: "exceed", exceeded: "exceed", exceeding: "exceed", succeed: "succeed",
  succeeds: "succeed", succeeded: "succeed", succeeding: "succeed",
};

// Suffixes in the order each step tries them, and what replaces them.
const S1A = ["sses", "ied", "ies", "us", "ss", "s"];
const S1B = ["eedly", "ingly", "edly", "ing", "eed", "ed"];
const S1B2 = ["at", "bl", "iz", "bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"];
const S2 = [
  "ational", "fulness", "iveness", "ization", "ousness", "biliti", "lessli", "tional", "alism", "aliti", "ation",
  "entli", "fulli", "iviti", "ousli", "anci", "abli", "alli", "ator", "enci", "izer", "bli", "ogi", "li",
];
const R2 = {
  tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent", izer: "ize", ization: "ize",
  ational: "ate", ation: "ate", ator: "ate", alism: "al", aliti: "al", alli: "al", fulness: "ful",
  ousli: "ous", ousness: "ous", iveness: "ive", iviti: "ive", biliti: "ble", bli: "ble", fulli: "ful",
  lessli: "less",
};
const S3 = ["ational", "tional", "alize", "icate", "ative", "iciti", "ical", "ful", "ness"];
const R3 = { ational: "ate", tional: "tion", alize: "al", icate: "ic", iciti: "ic", ical: "ic", ful: "", ness: "" };
const S4 = [
  "ement", "ance", "ence", "able", "ible", "ment", "ent", "ant", "ism", "ate", "iti", "ous", "ive", "ize", "ion",
  "al", "er", "ic",
];
const PREFIXES = ["gener", "commun", "arsen"];

const isV = (c) => c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y";

// The first of suffixes that w ends with, or "".
function firstSuffix(w, suffixes) {
  for (const x of suffixes) if (w.endsWith(x)) return x;
  return "";
}

// The start of the region after the first non-vowel following a vowel,
// looking from start.
function vnv(w, start) {
  for (let j = start + 1; j < w.length; j++) if (isV(w[j - 1]) && !isV(w[j])) return j + 1;
  return w.length;
}

// endsShort reports whether w[:i] ends in a short syllable.
function endsShort(w, i) {
  if (i === 2) return isV(w[0]) && !isV(w[1]);
  if (i >= 3) {
    const [s3, s2, s1] = [w[i - 3], w[i - 2], w[i - 1]];
    return !isV(s1) && s1 !== "w" && s1 !== "x" && s1 !== "Y" && isV(s2) && !isV(s3);
  }
  return false;
}

export function stem(word) {
  if (word.length <= 2) return word;
  if (Object.prototype.hasOwnProperty.call(SPECIAL, word)) return SPECIAL[word];
  let w = "";
  for (let i = 0; i < word.length; i++) w += word[i] === "y" && (i === 0 || isV(w[i - 1])) ? "Y" : word[i];
  const st = { r1: 0, r2: 0 };
  const pre = PREFIXES.find((p) => word.startsWith(p));
  st.r1 = pre ? pre.length : vnv(w, 0);
  st.r2 = vnv(w, st.r1);
  const clamp = () => {
    st.r1 = Math.min(st.r1, w.length);
    st.r2 = Math.min(st.r2, w.length);
  };
  const replace = (n, repl) => {
    w = w.slice(0, w.length - n) + repl;
    clamp();
  };

  // Step 1a.
  let s = firstSuffix(w, S1A);
  if (s === "sses") replace(4, "ss");
  else if (s === "ies" || s === "ied") replace(3, w.length > 4 ? "i" : "ie");
  else if (s === "s") {
    for (let i = 0; i < w.length - 2; i++) {
      if (isV(w[i])) {
        replace(1, "");
        break;
      }
    }
  }

  // Step 1b.
  s = firstSuffix(w, S1B);
  if (s === "eed" || s === "eedly") {
    if (s.length <= w.length - st.r1) replace(s.length, "ee");
  } else if (s) {
    if (/[aeiouy]/.test(w.slice(0, w.length - s.length))) {
      const [r1, r2] = [st.r1, st.r2];
      replace(s.length, "");
      const t = firstSuffix(w, S1B2);
      let short = false;
      if (t === "") {
        if (st.r1 >= w.length && endsShort(w, w.length)) {
          w += "e";
          st.r1 = st.r2 = w.length;
          short = true;
        }
      } else if (t === "at" || t === "bl" || t === "iz") {
        replace(2, t + "e");
      } else {
        replace(1, "");
      }
      if (!short) {
        st.r1 = Math.min(r1, w.length);
        st.r2 = Math.min(r2, w.length);
      }
    }
  }

  // Step 1c.
  const n = w.length;
  if (n > 2 && (w[n - 1] === "y" || w[n - 1] === "Y") && !isV(w[n - 2])) w = w.slice(0, n - 1) + "i";

  // Step 2.
  s = firstSuffix(w, S2);
  if (s && s.length <= w.length - st.r1) {
    if (s === "li") {
      if (w.length >= 3 && "cdeghkmnrt".includes(w[w.length - 3])) replace(2, "");
    } else if (s === "ogi") {
      if (w.length >= 4 && w[w.length - 4] === "l") replace(3, "og");
    } else {
      const repl = R2[s];
      replace(s.length, repl);
    }
  }

  // Step 3.
  s = firstSuffix(w, S3);
  if (s && s.length <= w.length - st.r1) {
    if (s === "ative") {
      if (w.length - st.r2 >= 5) replace(5, "");
    } else {
      const repl = R3[s];
      replace(s.length, repl);
    }
  }

  // Step 4.
  s = firstSuffix(w, S4);
  if (s && s.length <= w.length - st.r2) {
    if (s === "ion") {
      if (w.length >= 4 && (w[w.length - 4] === "s" || w[w.length - 4] === "t")) replace(3, "");
    } else {
      replace(s.length, "");
    }
  }

  // Step 5.
  const l = w.length - 1;
  if (st.r1 <= l) {
    if (w[l] === "e") {
      if (st.r2 <= l || !endsShort(w, l)) replace(1, "");
    } else if (st.r2 <= l && w[l] === "l" && l >= 1 && w[l - 1] === "l") {
      replace(1, "");
    }
  }
  return w.replace(/Y/g, "y");
}
