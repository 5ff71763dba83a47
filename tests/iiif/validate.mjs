// tests/iiif/validate.mjs — checks IIIF JSON files with tools others wrote:
// the official IIIF Presentation 3.0 JSON Schema (tests/schemas/iiif_3_0.json)
// with Ajv and ajv-formats (strict: false, as the schema's README says), and
// @iiif/parser's normalizer, which must take each file without an error.
//
//   node tests/iiif/validate.mjs FILE...
//
// Prints "ok FILE" or "invalid FILE: what" per file; exits 1 if any failed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { normalize } from '@iiif/parser';

const here = dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(join(here, '../schemas/iiif_3_0.json'), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

let bad = 0;
for (const file of process.argv.slice(2)) {
	let doc;
	try {
		doc = JSON.parse(readFileSync(file, 'utf8'));
	} catch (e) {
		console.log(`invalid ${file}: not JSON: ${e.message}`);
		bad++;
		continue;
	}
	if (!validate(doc)) {
		const why = validate.errors.slice(0, 5).map((e) => `${e.instancePath} ${e.message}`).join('; ');
		console.log(`invalid ${file}: schema: ${why}`);
		bad++;
		continue;
	}
	try {
		const store = normalize(doc);
		const top = store.entities[doc.type]?.[doc.id];
		if (!top)
			throw new Error(`the normalized store has no ${doc.type} ${doc.id}`);
		if (doc.type === 'Manifest' && top.items.length !== doc.items.length)
			throw new Error(`${top.items.length} canvases after normalizing, ${doc.items.length} before`);
	} catch (e) {
		console.log(`invalid ${file}: @iiif/parser: ${e.message}`);
		bad++;
		continue;
	}
	console.log(`ok ${file}`);
}
process.exit(bad ? 1 : 0);
