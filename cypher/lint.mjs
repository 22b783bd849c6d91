// Lint .cypher files with Neo4j's own parser and semantic analysis.
//
//   node cypher/lint.mjs FILE...
//
// Prints one JSON document:
//   {"files": [{"file", "diagnostics": [{"severity", "message", "line", "column"}]}],
//    "errors": N}
// Exit code: 0 no errors, 1 some error, 2 usage or I/O problem.
//
//   node cypher/lint.mjs --serve
//
// Checks queries for the API, kept warm: one JSON object a line on stdin
// ({"query": "..."}), one answer a line on stdout ({"errors": [{"message", "line",
// "column"}]}, empty when Neo4j would accept the query).
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import {
  isNotParamError,
  lintCypherQuery,
  parseStatementsStrs,
  testData,
} from '@neo4j-cypher/language-support';

// Production runs Neo4j 5, so analyse every query as Cypher 5.
const CYPHER_VERSION = 'CYPHER 5';

// The package only checks function/procedure names against the DbSchema it is
// given. It ships a registry dumped from a real Neo4j server (with APOC and GDS
// installed) as `testData`; keep just what core Neo4j has, so that names from
// plugins or other databases (e.g. FalkorDB's algo.*) are errors.
const PLUGIN_PROCEDURE = /^(apoc|gds)\./;
const registry = testData.mockSchema;
const SCHEMA = {
  defaultLanguage: CYPHER_VERSION,
  functions: {
    [CYPHER_VERSION]: Object.fromEntries(
      Object.entries(registry.functions[CYPHER_VERSION]).filter(([, fn]) => fn.isBuiltIn),
    ),
  },
  procedures: {
    [CYPHER_VERSION]: Object.fromEntries(
      Object.entries(registry.procedures[CYPHER_VERSION]).filter(
        ([name]) => !PLUGIN_PROCEDURE.test(name),
      ),
    ),
  },
  // No labels, relationshipTypes or propertyKeys: those would only add
  // "not present in the database" warnings.
};

const DDL = /^\s*(CREATE|DROP)\s+(INDEX|CONSTRAINT|FULLTEXT\s+INDEX|RANGE\s+INDEX|TEXT\s+INDEX)\b/i;
const stripComments = (s) => s.replace(/^\s*\/\/.*$/gm, '');

// LSP DiagnosticSeverity: 1 Error, 2 Warning, 3 Information, 4 Hint.
const SEVERITY = { 1: 'error', 2: 'warning', 3: 'info', 4: 'info' };

function lint(text) {
  // Files are sent to the driver as they are, so console commands such as an
  // uncommented `:params` line must be syntax errors.
  const { diagnostics } = lintCypherQuery(text, SCHEMA, { consoleCommandsEnabled: false });
  const result = diagnostics
    // Parameters are supplied at run time; the linter cannot know them.
    .filter(isNotParamError)
    .map((d) => ({
      severity: SEVERITY[d.severity] ?? 'error',
      message: d.message,
      // Positions are 0-based and can be negative for whole-query errors.
      line: Math.max(d.range.start.line, 0) + 1,
      column: Math.max(d.range.start.character, 0) + 1,
    }));
  // A driver runs one statement per call; only schema DDL files (indexes and
  // constraints, applied one statement at a time) may hold several.
  const statements = parseStatementsStrs(text);
  const allDdl = statements.every((s) => DDL.test(stripComments(s)));
  if (statements.length === 0 || (statements.length > 1 && !allDdl)) {
    result.push({
      severity: 'error',
      message: `Expected exactly one statement, found ${statements.length}`,
      line: 1,
      column: 1,
    });
  }
  return result.sort((a, b) => a.line - b.line || a.column - b.column);
}

function serve() {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    let errors;
    try {
      const { query } = JSON.parse(line);
      errors = lint(query).filter((d) => d.severity === 'error');
    } catch (err) {
      errors = [{ message: `the checker failed: ${err.message}`, line: 1, column: 1 }];
    }
    process.stdout.write(JSON.stringify({ errors }) + '\n');
  });
}

const paths = process.argv.slice(2);
if (paths[0] === '--serve') {
  serve();
} else if (paths.length === 0) {
  process.stderr.write('usage: node cypher/lint.mjs FILE... | --serve\n');
  process.exit(2);
} else {
  let texts;
  try {
    texts = await Promise.all(paths.map((path) => readFile(path, 'utf8')));
  } catch (err) {
    process.stderr.write(`lint.mjs: ${err.message}\n`);
    process.exit(2);
  }

  const files = paths.map((file, i) => ({ file, diagnostics: lint(texts[i]) }));
  const errors = files
    .flatMap((f) => f.diagnostics)
    .filter((d) => d.severity === 'error').length;
  process.stdout.write(JSON.stringify({ files, errors }, null, 2) + '\n');
  process.exitCode = errors > 0 ? 1 : 0;
}
