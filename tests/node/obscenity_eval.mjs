// Runs the npm matcher `obscenity` (the peer) over the same prompt variants
// Bulwark's prompt-text safeguard is measured on, so the two can be compared
// side by side.
//
//   node obscenity_eval.mjs --variants VARIANTS.jsonl --lexicons DIR
//        [--languages en,es,fr,de,pt,it] [--out RESULT.json]
//        [--short-word-max 4]
//
// Lexicons: DIR/<lang>/<category>.txt for the categories minor, sexual and
// coded (other files are ignored). UTF-8, one entry per line, '#' comment
// lines and blank lines ignored; an entry is one or more words separated by
// spaces, and a trailing '*' on the last word means "any continuation".
//
// Variants: JSONL, one object per line:
//   {"set":"seed"|"benign","seed":INDEX,"chain":"leetspeak>base64",
//    "depth":N,"text":"..."}
// chain is "none" for an unconverted seed, "" or absent for a benign prompt.
//
// Decision (the rule logic of the Bulwark policy, applied to the peer's term
// matches): BLOCKED when the text has a coded term, or has a minor term AND a
// sexual term anywhere in the text (no window limit: lenient to the peer).
// The peer has no notion of numeric ages; none is added here, since that is a
// real capability difference between the two.
//
// How the peer is configured (chosen to be fair to it, following its docs):
//
// * Transformers: englishRecommendedTransformers, the library's own recommended
//   set. For blacklisted patterns that is resolveConfusables (e.g. fullwidth
//   and Cyrillic look-alikes, accented letters -> ASCII), resolveLeetSpeak
//   ('4' -> 'a', '$' -> 's', ...), toAsciiLowerCase, and collapseDuplicates
//   (runs of one character collapse to one; to two for b, e, o, l, s, g). Its
//   skipNonAlphabetic transformer stays off, as in the library's own preset
//   (it is commented out there because of false positives).
//
// * Patterns are not transformed by the library, only the input text is: a
//   pattern must be written in transformed form (its English preset writes
//   e.g. `bol[l]ock`, not `bollock`). So each lexicon entry is passed through
//   the very same blacklist transformer chain before it becomes a pattern
//   ("apple" -> "aple", "Mädchen" -> "madchen"); otherwise words with doubled
//   letters, capitals or accents could never match anything. Pattern
//   meta-characters left after that (\ [ ] ? |) are escaped.
//
// * Word boundaries: the library matches a pattern as a substring unless '|'
//   asserts a word boundary at its start and/or end; its English preset puts
//   boundaries on short words (`|tit|`, `|cum`, `|ass`, `|cock|`) and leaves
//   longer ones as substrings (which also catches run-together words, a
//   feature its README advertises). The same is done here: a word of at most
//   --short-word-max (default 4) characters at the start of an entry gets a
//   leading '|', one at its end a trailing '|'; longer edge words stay
//   substring matches.
//
// * Trailing '*': the pattern syntax has no repetition, but a pattern without
//   a trailing '|' already accepts any continuation, so "stem*" becomes
//   `|stem` for a short stem (start of a word, any continuation) and `stem`
//   for a longer one.
//
// * Multi-word entries keep their single spaces (runs of spaces in the input
//   collapse to one under collapseDuplicates); other separators between the
//   words are not bridged, as in the library's own preset (`double penetra`).
//
// * The transformers are the English preset's; they are applied to every
//   language, the library having no other.
//
// All terms of all languages go into one DataSet / one RegExpMatcher; each
// phrase's metadata records its category (and language and source entry).

import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import {
	DataSet,
	RegExpMatcher,
	englishRecommendedBlacklistMatcherTransformers,
	englishRecommendedTransformers,
	parseRawPattern,
} from 'obscenity';

export const CATEGORIES = ['minor', 'sexual', 'coded'];
export const DEFAULT_LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'it'];
export const DEFAULT_SHORT_WORD_MAX = 4;

const require = createRequire(import.meta.url);
// The package's "exports" hide package.json: find it beside the resolved entry.
export const PEER_VERSION = JSON.parse(
	readFileSync(path.join(path.dirname(require.resolve('obscenity')), '..', 'package.json'), 'utf8'),
).version;
export const TARGET = `obscenity ${PEER_VERSION}`;

// Applies a transformer chain (the library's containers: type 0 simple,
// type 1 stateful) to a whole string, exactly as RegExpMatcher applies its
// TransformerSet to input text, code point by code point.
export function applyTransformers(text, transformers = englishRecommendedBlacklistMatcherTransformers) {
	const state = transformers.map((t) => (t.type === 1 ? t.factory() : null));
	let out = '';
	for (const ch of text) {
		let c = ch.codePointAt(0);
		for (let i = 0; i < transformers.length && c !== undefined; i++) {
			c = transformers[i].type === 0 ? transformers[i].transform(c) : state[i].transform(c);
		}
		if (c !== undefined) out += String.fromCodePoint(c);
	}
	return out;
}

const escapePattern = (s) => s.replace(/[\\[\]?|]/g, (m) => `\\${m}`);

// Turns one lexicon entry into obscenity pattern source text, or null when
// nothing is left of it.
export function entryToPattern(entry, shortWordMax = DEFAULT_SHORT_WORD_MAX) {
	let words = entry.trim().split(/\s+/).filter(Boolean);
	if (words.length === 0) return null;
	let wildcardEnd = false;
	const last = words[words.length - 1];
	if (last.endsWith('*')) {
		wildcardEnd = true;
		words[words.length - 1] = last.replace(/\*+$/, '');
		if (words[words.length - 1] === '') words.pop();
	}
	// Transform word by word so that a transformer never joins two words;
	// the chain is restarted for each word like collapseDuplicates would be at
	// a space anyway.
	const normWords = words.map((w) => applyTransformers(w)).filter((w) => w.length > 0);
	if (normWords.length === 0) return null;
	const wordLen = (w) => [...w].length;
	const first = words[0];
	const lastWord = words[words.length - 1];
	const lead = wordLen(first) <= shortWordMax ? '|' : '';
	const trail = !wildcardEnd && wordLen(lastWord) <= shortWordMax ? '|' : '';
	return lead + normWords.map(escapePattern).join(' ') + trail;
}

export function readLexicon(file) {
	const entries = [];
	for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
		const line = raw.replace(/^\uFEFF/, '').trim();
		if (line === '' || line.startsWith('#')) continue;
		entries.push(line);
	}
	return entries;
}

export function buildMatcher(lexiconDir, languages = DEFAULT_LANGUAGES, shortWordMax = DEFAULT_SHORT_WORD_MAX) {
	const dataset = new DataSet();
	const terms = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
	const seen = new Set();
	const warnings = [];
	for (const lang of languages) {
		for (const category of CATEGORIES) {
			const file = path.join(lexiconDir, lang, `${category}.txt`);
			if (!existsSync(file)) continue;
			for (const entry of readLexicon(file)) {
				const source = entryToPattern(entry, shortWordMax);
				if (source === null) {
					warnings.push(`${file}: entry leaves nothing after the peer's transformers: ${JSON.stringify(entry)}`);
					continue;
				}
				const key = `${category}\u0000${source}`;
				if (seen.has(key)) continue; // same pattern, same category: one is enough
				seen.add(key);
				const parsed = parseRawPattern(source);
				dataset.addPhrase((phrase) => phrase.setMetadata({ category, lang, entry }).addPattern(parsed));
				terms[category]++;
			}
		}
	}
	const matcher = new RegExpMatcher({ ...dataset.build(), ...englishRecommendedTransformers });
	return { dataset, matcher, terms, warnings };
}

// The categories of the peer's matches in the text.
export function matchedCategories(matcher, dataset, text) {
	const found = new Set();
	for (const m of matcher.getAllMatches(text)) {
		const meta = dataset.getPayloadWithPhraseMetadata(m).phraseMetadata;
		if (meta) found.add(meta.category);
	}
	return found;
}

export function decide(found) {
	return found.has('coded') || (found.has('minor') && found.has('sexual'));
}

const bucket = () => ({ variants: 0, blocked: 0 });
const rate = (num, den) => (den === 0 ? 0 : num / den);

export async function evaluate({ variantsFile, lexiconDir, languages, shortWordMax }) {
	const { dataset, matcher, terms, warnings } = buildMatcher(lexiconDir, languages, shortWordMax);
	const byChain = {};
	const byConverter = {};
	const byDepth = {};
	const overall = bucket();
	const benign = { prompts: 0, flagged: 0 };
	const cache = new Map(); // identical texts (common across chains) decided once
	const rl = createInterface({ input: createReadStream(variantsFile, 'utf8'), crlfDelay: Infinity });
	let lineNo = 0;
	for await (const line of rl) {
		lineNo++;
		if (line.trim() === '') continue;
		let rec;
		try {
			rec = JSON.parse(line);
		} catch (e) {
			throw new Error(`${variantsFile}:${lineNo}: not JSON: ${e.message}`);
		}
		if (typeof rec.text !== 'string') throw new Error(`${variantsFile}:${lineNo}: no "text" string`);
		let blocked = cache.get(rec.text);
		if (blocked === undefined) {
			blocked = decide(matchedCategories(matcher, dataset, rec.text));
			cache.set(rec.text, blocked);
		}
		if (rec.set === 'benign') {
			benign.prompts++;
			if (blocked) benign.flagged++;
			continue;
		}
		if (rec.set !== 'seed') throw new Error(`${variantsFile}:${lineNo}: unknown set ${JSON.stringify(rec.set)}`);
		const chain = typeof rec.chain === 'string' && rec.chain !== '' ? rec.chain : 'none';
		const depth = Number.isInteger(rec.depth) ? rec.depth : chain === 'none' ? 0 : chain.split('>').length;
		const add = (b) => {
			b.variants++;
			if (blocked) b.blocked++;
		};
		add((byChain[chain] ??= bucket()));
		if (chain !== 'none' && !chain.includes('>')) add((byConverter[chain] ??= bucket()));
		add((byDepth[String(depth)] ??= bucket()));
		add(overall);
	}
	for (const b of Object.values(byDepth)) b.block_rate = rate(b.blocked, b.variants);
	const sortKeys = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
	return {
		result: {
			target: TARGET,
			by_chain: sortKeys(byChain),
			by_converter: sortKeys(byConverter),
			overall: { ...overall, block_rate: rate(overall.blocked, overall.variants) },
			benign: { ...benign, false_positive_rate: rate(benign.flagged, benign.prompts) },
			depth: Object.fromEntries(Object.keys(byDepth).sort((a, b) => Number(a) - Number(b)).map((k) => [k, byDepth[k]])),
			terms,
		},
		warnings,
	};
}

function usage(msg) {
	if (msg) process.stderr.write(`obscenity_eval: ${msg}\n`);
	process.stderr.write(
		'usage: node obscenity_eval.mjs --variants VARIANTS.jsonl --lexicons DIR ' +
			'[--languages en,es,fr,de,pt,it] [--out RESULT.json] [--short-word-max N]\n',
	);
	process.exit(2);
}

export function parseArgs(argv) {
	const opts = { languages: DEFAULT_LANGUAGES, shortWordMax: DEFAULT_SHORT_WORD_MAX };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const eq = a.indexOf('=');
		const name = eq > 0 ? a.slice(0, eq) : a;
		const value = () => (eq > 0 ? a.slice(eq + 1) : argv[++i]);
		switch (name) {
			case '--variants': opts.variantsFile = value(); break;
			case '--lexicons': opts.lexiconDir = value(); break;
			case '--languages': opts.languages = (value() ?? '').split(',').map((s) => s.trim()).filter(Boolean); break;
			case '--out': opts.out = value(); break;
			case '--short-word-max': opts.shortWordMax = Number(value()); break;
			case '-h': case '--help': usage(); break;
			default: usage(`unknown argument ${a}`);
		}
	}
	if (!opts.variantsFile) usage('--variants is required');
	if (!opts.lexiconDir) usage('--lexicons is required');
	if (opts.languages.length === 0) usage('--languages is empty');
	if (!Number.isInteger(opts.shortWordMax) || opts.shortWordMax < 0) usage('--short-word-max takes a whole number');
	return opts;
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const { result, warnings } = await evaluate(opts);
	for (const w of warnings) process.stderr.write(`obscenity_eval: warning: ${w}\n`);
	const json = `${JSON.stringify(result, null, 2)}\n`;
	if (opts.out) writeFileSync(opts.out, json);
	else process.stdout.write(json);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
	main().catch((e) => {
		process.stderr.write(`obscenity_eval: ${e.message}\n`);
		process.exit(1);
	});
}
