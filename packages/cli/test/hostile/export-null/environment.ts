// The default export is null: plain data, but not a definition.
export default null;
