export { diffSchemas, opName, undoOf, type Change, type DiffOptions, type DiffResult } from "./compare/index.js";
export { renderChanges, renderOpCall, type RenderedMigration } from "./render.js";
export { applyRenames, findRenameCandidates, parseRenames, candidateRename, type Rename, type RenameCandidate } from "./renames.js";
export { modelDrift } from "./drift.js";
