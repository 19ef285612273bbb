// The generators that run on every `nx sync` / `nx sync:check` and on `nx g …:render`, for
// generators.cjs (one cached build; bin/cached-build.cjs). `site` and `import` read template files
// next to their sources and stay TypeScript factories in generators.json.
export { renderGenerator } from './render/generator';
export { syncGenerator } from './sync/generator';
