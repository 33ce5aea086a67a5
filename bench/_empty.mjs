// The empty script: what a fresh process costs before any code of ours runs.
