/**
 * Error messages in the user's words. The engine's messages quote the
 * generated code (`s(__mini("bd sd", 3)).lpx is not a function. (In '...')`);
 * these rewrite them to what the user wrote and knows ("unknown function
 * .lpx; did you mean lpf?"), never repeating the code itself.
 * @module
 */

/** Edit distance between two short names (insertions, deletions, substitutions; a swap counts as one). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[m]![n]!;
}

/** The known name closest to `name` (case-insensitive first), if it is close enough to be a typo. */
export function suggest(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const lower = name.toLowerCase();
  for (const k of known) {
    if (k.startsWith("_") || k === name) continue;
    const score = k.toLowerCase() === lower ? 0 : editDistance(lower, k.toLowerCase());
    if (score < bestScore || (score === bestScore && best !== undefined && k.length < best.length)) {
      best = k;
      bestScore = score;
    }
  }
  if (name.length <= 2) return undefined; // one or two letters match too much to be a hint
  const limit = name.length <= 3 ? 1 : name.length <= 6 ? 2 : 3;
  return bestScore <= limit ? best : undefined;
}

/** Generated mini-notation calls back into the user's strings: `__mini("bd sd", 3)` is `"bd sd"`. */
function unMini(text: string): string {
  return text.replace(/__mini\(((?:"(?:[^"\\]|\\.)*")|(?:`[^`]*`)), \d+\)/g, "$1").replace(/__play\("([^"]*)", /g, "$1: ");
}

/**
 * The user's version of an engine message. `known` are the names a program
 * can call (functions and methods), for "did you mean".
 */
export function userMessage(name: string, message: string, known: () => Iterable<string>): string {
  const didYouMean = (n: string) => {
    const s = suggest(n, known());
    return s ? `; did you mean ${s}?` : "";
  };
  // JavaScriptCore: "<expr>.foo is not a function. (In '<code>', '<expr>.foo' is undefined)"
  const method = /\.([A-Za-z_$][\w$]*) is not a function\./.exec(message);
  if (method) return `unknown function .${method[1]}${didYouMean(method[1]!)}`;
  const notFn = /^([A-Za-z_$][\w$]*) is not a function\./.exec(message);
  if (notFn) return `${notFn[1]} is not a function`;
  // V8: "x.foo is not a function"
  const v8method = /\.([A-Za-z_$][\w$]*) is not a function$/.exec(message);
  if (v8method) return `unknown function .${v8method[1]}${didYouMean(v8method[1]!)}`;
  const undef = /^([A-Za-z_$][\w$]*) is not defined$/.exec(message);
  if (undef) return `unknown name ${undef[1]}${didYouMean(undef[1]!)}`;
  // "undefined is not an object (evaluating '<code>')": name what was undefined, not the code.
  const evaluating = /^(undefined|null) is not an object \(evaluating '(.*)'\)$/s.exec(message);
  if (evaluating) {
    const prop = /\.([A-Za-z_$][\w$]*)\.[A-Za-z_$][\w$]*$/.exec(evaluating[2]!.trim());
    if (prop) return `unknown property .${prop[1]}${didYouMean(prop[1]!)} (it is ${evaluating[1]})`;
    return `${evaluating[1]} has no properties`;
  }
  const clean = unMini(message).replace(/\s*\(In '[\s\S]*'\)$/, "");
  return name && name !== "Error" ? `${name}: ${clean}` : clean;
}
