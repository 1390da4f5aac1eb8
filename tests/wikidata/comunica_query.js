'use strict';
// Run one SPARQL SELECT with Comunica (@comunica/query-sparql, unmodified) over SPARQL endpoints.
//
// stdin:  {"query": "SELECT ...", "sources": ["http://127.0.0.1:PORT/sparql", ...]}
// stdout: a JSON array of rows, each {variable: {type: "uri"|"bnode"|"literal", value,
//         datatype | lang}}; unbound variables are left out of their row.
// stderr: one line "comunica-fetch: {method, url, query}" (JSON) per HTTP request Comunica makes.
// exit:   0 on success; 2, with the message on stderr, on any error.
//
// The tests must never reach the internet, so the fetch handed to Comunica (its documented
// `fetch` context option) refuses any URL that is not on loopback; otherwise it is Node's fetch,
// the one Comunica uses by default.
const { QueryEngine } = require('@comunica/query-sparql');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function term(t) {
  if (t.termType === 'Literal') {
    return t.language
      ? { type: 'literal', value: t.value, lang: t.language }
      : { type: 'literal', value: t.value, datatype: t.datatype.value };
  }
  return { type: t.termType === 'BlankNode' ? 'bnode' : 'uri', value: t.value };
}

function sentQuery(url, init) {
  // The SPARQL query of a request: in the URL (GET), or in the body (POST, form or direct).
  const body = init && init.body;
  if (body instanceof URLSearchParams) {
    return body.get('query');
  }
  if (typeof body === 'string') {
    return new URLSearchParams(body).get('query') ?? body;
  }
  return url.searchParams.get('query');
}

function loopbackFetch(input, init) {
  const url = new URL(typeof input === 'string' ? input : input.url ?? String(input));
  const method = (init && init.method) || 'GET';
  process.stderr.write(`comunica-fetch: ${JSON.stringify({ method, url: url.href,
    query: sentQuery(url, init) })}\n`);
  if (!LOOPBACK.has(url.hostname)) {
    return Promise.reject(new Error(`refused a request off loopback: ${url.href}`));
  }
  return fetch(input, init);
}

async function main() {
  const request = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
  if (typeof request.query !== 'string' || !Array.isArray(request.sources)
      || request.sources.length === 0) {
    throw new Error('expected {"query": string, "sources": [url, ...]} on stdin');
  }
  const engine = new QueryEngine();
  const stream = await engine.queryBindings(request.query, {
    sources: request.sources.map(value => ({ type: 'sparql', value })),
    fetch: loopbackFetch,
    httpTimeout: 30000,
    lenient: false,
  });
  const rows = (await stream.toArray()).map((bindings) => {
    const row = {};
    for (const [variable, value] of bindings) {
      row[variable.value] = term(value);
    }
    return row;
  });
  process.stdout.write(`${JSON.stringify(rows)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error && error.message ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
