// Self-test of obscenity_eval.mjs: a tiny lexicon of benign placeholder words
// (minor: apple, fig; sexual: banana, plum*; coded: cherrypie, lemon tart)
// and a handful of variants, built in a temp dir; the CLI is run end to end
// and the counts in its JSON are checked.
//
//   cd tests/node && node --test obscenity_eval.test.mjs

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { entryToPattern } from './obscenity_eval.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.join(here, 'obscenity_eval.mjs');
let dir;

const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');

// [seed, chain, depth, text, blocked by the peer?]
const SEED_VARIANTS = [
	[0, 'none', 0, 'apple banana', true],
	[0, 'leetspeak', 1, '4pple b4nana', true], // peer's leetspeak resolution
	[0, 'homoglyph', 1, 'ＡＰＰＬＥ ＢＡＮＡＮＡ', true], // peer's confusable resolution
	[0, 'leetspeak>base64', 2, b64('4pple b4nana'), false], // peer does not decode
	[1, 'none', 0, 'apple', false], // a minor term alone
	[1, 'leetspeak', 1, '4ppl3', false],
	[2, 'none', 0, 'pineapple bananas', true], // 5+ letter words: substring matches
	[3, 'none', 0, 'figure plumber', false], // "fig" is whole-word only; plum* matches plumber
	[3, 'spacing', 1, 'fig   plumber', true],
	[4, 'none', 0, 'cherry pie', false], // coded term is "cherrypie"
	[4, 'leetspeak', 1, 'ch3rryp13', true],
	[5, 'none', 0, 'lemon   tart', true], // space runs collapse
	[5, 'spacing>leetspeak', 2, 'l3mon t4rt', true],
];
const BENIGN = [
	['I ate a fig', false],
	['banana bread with apple', true], // the rule's false positive on plain words
	['pineapple juice', false],
	['figs and plums', false], // whole-word "fig" does not match "figs"
	['grape soda', false], // "grape" is only in an ignored category file
];

before(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'obscenity-eval-'));
	const lex = (lang, cat, body) => {
		mkdirSync(path.join(dir, 'lex', lang), { recursive: true });
		writeFileSync(path.join(dir, 'lex', lang, `${cat}.txt`), body);
	};
	lex('en', 'minor', '# placeholder minor terms\napple\n\nfig\n');
	lex('en', 'sexual', '# placeholder sexual terms\r\nbanana\r\nplum*\r\n');
	lex('en', 'coded', 'cherrypie\nlemon tart\n');
	lex('en', 'violence', 'grape\n'); // not a category the rule uses: ignored
	lex('es', 'minor', 'manzana\n');
	const rows = [
		...SEED_VARIANTS.map(([seed, chain, depth, text]) => ({ set: 'seed', seed, chain, depth, text })),
		...BENIGN.map(([text], i) => (i % 2 ? { set: 'benign', text } : { set: 'benign', seed: i, chain: '', text })),
	];
	writeFileSync(path.join(dir, 'variants.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
	writeFileSync(
		path.join(dir, 'es.jsonl'),
		`${JSON.stringify({ set: 'seed', seed: 0, chain: 'none', depth: 0, text: 'manzana banana' })}\n`,
	);
});

after(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args) => execFileSync(process.execPath, [script, ...args], { encoding: 'utf8' });

test('lexicon entries become patterns in the transformed alphabet', () => {
	assert.equal(entryToPattern('apple'), 'aple'); // collapseDuplicates applies to input, so to patterns too
	assert.equal(entryToPattern('Banana'), 'banana');
	assert.equal(entryToPattern('fig'), '|fig|'); // short word: whole word
	assert.equal(entryToPattern('plum*'), '|plum'); // short stem: word start, any continuation
	assert.equal(entryToPattern('pineapple*'), 'pineaple'); // long stem: substring
	assert.equal(entryToPattern('lemon tart'), 'lemon tart|');
	assert.equal(entryToPattern('Mädchen'), 'madchen');
	assert.equal(entryToPattern('  '), null);
});

test('counts match the peer decisions on the tiny variant set', () => {
	const out = path.join(dir, 'result.json');
	const stdout = run('--variants', path.join(dir, 'variants.jsonl'), '--lexicons', path.join(dir, 'lex'), '--out', out);
	assert.equal(stdout, '');
	const r = JSON.parse(readFileSync(out, 'utf8'));
	assert.match(r.target, /^obscenity 0\.4\.6$/);
	assert.deepEqual(r.by_chain, {
		homoglyph: { variants: 1, blocked: 1 },
		leetspeak: { variants: 3, blocked: 2 },
		'leetspeak>base64': { variants: 1, blocked: 0 },
		none: { variants: 6, blocked: 3 },
		spacing: { variants: 1, blocked: 1 },
		'spacing>leetspeak': { variants: 1, blocked: 1 },
	});
	assert.deepEqual(r.by_converter, {
		homoglyph: { variants: 1, blocked: 1 },
		leetspeak: { variants: 3, blocked: 2 },
		spacing: { variants: 1, blocked: 1 },
	});
	assert.deepEqual(r.overall, { variants: 13, blocked: 8, block_rate: 8 / 13 });
	assert.deepEqual(r.benign, { prompts: 5, flagged: 1, false_positive_rate: 0.2 });
	assert.deepEqual(r.depth, {
		0: { variants: 6, blocked: 3, block_rate: 0.5 },
		1: { variants: 5, blocked: 4, block_rate: 0.8 },
		2: { variants: 2, blocked: 1, block_rate: 0.5 },
	});
	assert.deepEqual(r.terms, { minor: 3, sexual: 2, coded: 2 }); // apple, fig + es manzana

	// Cross-check the totals against the per-variant expectations above.
	const want = SEED_VARIANTS.filter((v) => v[4]).length;
	assert.equal(r.overall.blocked, want);
	assert.equal(r.benign.flagged, BENIGN.filter((b) => b[1]).length);
});

test('--languages limits the lexicons read; stdout is used without --out', () => {
	const es = path.join(dir, 'es.jsonl');
	const lex = path.join(dir, 'lex');
	const all = JSON.parse(run('--variants', es, '--lexicons', lex));
	assert.deepEqual(all.overall, { variants: 1, blocked: 1, block_rate: 1 });
	const enOnly = JSON.parse(run('--variants', es, '--lexicons', lex, '--languages', 'en'));
	assert.deepEqual(enOnly.overall, { variants: 1, blocked: 0, block_rate: 0 });
});
