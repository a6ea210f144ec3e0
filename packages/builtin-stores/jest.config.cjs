module.exports = { ...require("../../jest.preset.cjs"), displayName: "builtin-stores" };
