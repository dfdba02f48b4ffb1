import next from "eslint-config-next";

const config = [
  { ignores: ["lib/db/generated/**", ".next/**", "public/probe.mjs", "node_modules/**"] },
  ...next,
];

export default config;
