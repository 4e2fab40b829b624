// Starts `fasti server` for the workspace's dataset files (YAML, JSON and fasti.toml) and
// hands them to it over stdio; everything else is the server's.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("fasti").get("path") || "fasti";
  client = new LanguageClient(
    "fasti",
    "fasti",
    { command, args: ["server"] },
    {
      documentSelector: [
        { scheme: "file", language: "yaml" },
        { scheme: "file", language: "json" },
        { scheme: "file", pattern: "**/fasti.toml" },
      ],
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
