import { describe, it, expect } from "vitest";
import { parseProcfile, type Procfile } from "../../src/manifest/procfile.js";
import { commandArgv, selectWebCommand } from "../../src/kit/run-command.js";

describe("parseProcfile", () => {
  it("keeps order, skips comments and blank lines, splits web/release/workers", () => {
    const text = [
      "# a comment",
      "",
      "  ",
      "clock: node clock.js",
      "web:   node web.js $PORT  ",
      "release: node migrate.js",
      "worker:node worker.js",
      "   # indented comment",
      "sidekiq_2: bundle exec sidekiq",
    ].join("\r\n");
    expect(parseProcfile(text)).toEqual({
      web: "node web.js $PORT",
      release: "node migrate.js",
      workers: [
        { name: "clock", command: "node clock.js" },
        { name: "worker", command: "node worker.js" },
        { name: "sidekiq_2", command: "bundle exec sidekiq" },
      ],
    } satisfies Procfile);
  });
  it.each([
    ["first web wins", "web: a\nweb: b\n", { web: "a", workers: [] }],
    ["last release wins", "release: a\nrelease: b\n", { release: "b", workers: [] }],
    ["empty commands and malformed lines are skipped", "web:\n1bad: x\nno colon here\n-x: y\nweb: ok\n", { web: "ok", workers: [] }],
    ["colons inside the command are kept", "web: sh -c 'a:b'\n", { web: "sh -c 'a:b'", workers: [] }],
    ["empty file", "", { workers: [] }],
    ["release alone", "release: m\n", { release: "m", workers: [] }],
  ] as [string, string, Procfile][])("%s", (_n, text, expected) => expect(parseProcfile(text)).toEqual(expected));
});

describe("selectWebCommand", () => {
  const withWeb = parseProcfile("worker: w\nweb: server\n");
  const noWeb = parseProcfile("worker: w\nclock: c\n");
  it.each([
    ["RUN_COMMAND first", "run", withWeb, { command: "run", source: "RUN_COMMAND" }],
    ["Procfile web", undefined, withWeb, { command: "server", source: "Procfile web" }],
    ["no web: → default, never the first entry", undefined, noWeb, { command: "fallback", source: "default" }],
    ["release: is never the command", undefined, parseProcfile("release: ./migrate --drop-all\nworker: node worker.js\n"), { command: "fallback", source: "default" }],
    ["empty Procfile → default", undefined, parseProcfile("# nothing\n"), { command: "fallback", source: "default" }],
    ["no Procfile → default", undefined, undefined, { command: "fallback", source: "default" }],
    ["empty RUN_COMMAND ignored", "", withWeb, { command: "server", source: "Procfile web" }],
  ] as [string, string | undefined, Procfile | undefined, object][])("%s", (_n, run, proc, expected) => {
    expect(selectWebCommand(run, proc, "fallback")).toEqual(expected);
  });
});

describe("commandArgv", () => {
  it.each([
    ["./bin/api", ["./bin/api"]],
    ["npm start", ["npm", "start"]],
    ["  node   server.js  ", ["node", "server.js"]],
    ["node --port=5000 app.js", ["node", "--port=5000", "app.js"]],
    ["/usr/bin/env node app.js", ["/usr/bin/env", "node", "app.js"]],
  ])("%j runs directly", (cmd, argv) => expect(commandArgv(cmd)).toEqual(argv));

  it.each([
    "node web.js $PORT",
    "./server --port=${PORT}",
    "npm run migrate && npm start",
    'node -e "console.log(1)"',
    "echo 'hi'",
    "FOO=bar node app.js",
    "node app.js > /tmp/log",
    "node app.js | tee log",
    "a; b",
    "node dist/*.js",
    "exec `which node` app.js",
    "cd ~ && ./app",
  ])("%j runs under /bin/sh -c", (cmd) => expect(commandArgv(cmd)).toEqual(["/bin/sh", "-c", cmd]));
});
