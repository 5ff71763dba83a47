// tests/api/validate.mjs — check the API's OpenAPI document and answers.
//
//   node tests/api/validate.mjs OPENAPI.json [MANIFEST]
//
// First the document itself, with @seriousme/openapi-schema-validator
// (the OpenAPI 3.1 schema from the OpenAPI Initiative). Then each answer
// listed in MANIFEST, one per line: "PATH STATUS CONTENT-TYPE BODY-FILE"
// (PATH without its query). The answer's schema is the one the document
// gives for the path template PATH matches, that status and that media
// type; it is checked with Ajv's JSON Schema 2020-12 (OpenAPI 3.1's
// dialect), formats included. An answer the document does not describe
// (unknown path, status or media type) fails too. Prints one line per
// check and "N passed, N failed"; exits 1 if anything failed.
import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [docPath, manifest] = process.argv.slice(2);
let passed = 0, failed = 0;
const ok = (name) => { passed++; console.log(`ok   ${name}`); };
const bad = (name, why) => { failed++; console.log(`FAIL ${name}: ${why}`); };

const doc = JSON.parse(readFileSync(docPath, "utf8"));
const validator = new Validator();
const res = await validator.validate(doc);
if (res.valid && validator.version === "3.1")
	ok("openapi.json is a valid OpenAPI 3.1 document");
else
	bad("openapi.json is a valid OpenAPI 3.1 document",
	    `version ${validator.version}: ${JSON.stringify(res.errors).slice(0, 2000)}`);

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc, "openapi.json");

// the document's path template for a request path
function template(path) {
	for (const t of Object.keys(doc.paths)) {
		const re = new RegExp("^" + t.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+") + "$");
		if (re.test(path))
			return t;
	}
	return null;
}
const pointer = (s) => s.replace(/~/g, "~0").replace(/\//g, "~1");

for (const line of manifest ? readFileSync(manifest, "utf8").split("\n") : []) {
	if (!line.trim())
		continue;
	const [path, status, ctype, file] = line.split(" ");
	const name = `${path} ${status} ${ctype}`;
	const t = template(path);
	const media = ctype.split(";")[0].trim();
	const r = t && doc.paths[t].get && doc.paths[t].get.responses[status];
	if (!r || !r.content || !r.content[media]) {
		bad(name, `the document describes no ${status} ${media} answer for ${t || path}`);
		continue;
	}
	let body;
	try {
		body = JSON.parse(readFileSync(file, "utf8"));
	} catch (e) {
		bad(name, `not JSON: ${e.message}`);
		continue;
	}
	const ref = `openapi.json#/paths/${pointer(t)}/get/responses/${status}/content/${pointer(media)}/schema`;
	const check = ajv.getSchema(ref) || ajv.compile({ $ref: ref });
	if (check(body))
		ok(`${name} matches its schema`);
	else
		bad(name, ajv.errorsText(check.errors).slice(0, 1500));
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
