// @neo4j/graphql 7 over the cdpgraph Neo4j, served by Apollo Server (the HTTP layer the
// library's getting-started guide uses), for make bench-compare (scripts/bench-compare.sh;
// copied from the side-by-side harness behind issue 15). Read-only: the type definitions
// switch off mutations and subscriptions, and sessions are opened in READ mode.
//
//   NEO4J_URI (default bolt://127.0.0.1:7687), NEO4J_USER/NEO4J_PASSWORD (default: no auth),
//   PORT (default 4000), HOST (default 127.0.0.1); DEBUG=@neo4j/graphql:execution prints the generated Cypher.
import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";
import { GraphQLScalarType, Kind } from "graphql";

// Neo4j DateTime values as RFC 3339 strings, formatted in Node (no APOC needed; see typeDefs.graphql).
const Instant = new GraphQLScalarType({
  name: "Instant",
  description: "A Neo4j DateTime as an RFC 3339 string",
  serialize: (v) => (v == null ? null : typeof v === "string" ? v : v.toString().replace(/\[[^\]]*\]$/, "")),
  parseValue: (v) => neo4j.types.DateTime.fromStandardDate(new Date(v)),
  parseLiteral: (ast) => (ast.kind === Kind.STRING ? neo4j.types.DateTime.fromStandardDate(new Date(ast.value)) : null),
});

const typeDefs = readFileSync(new URL("./typeDefs.graphql", import.meta.url), "utf8");
const uri = process.env.NEO4J_URI || "bolt://127.0.0.1:7687";
const auth = process.env.NEO4J_USER ? neo4j.auth.basic(process.env.NEO4J_USER, process.env.NEO4J_PASSWORD || "") : undefined;
const driver = neo4j.driver(uri, auth, { maxConnectionPoolSize: 100, disableLosslessIntegers: true });
await driver.verifyConnectivity();

const neoSchema = new Neo4jGraphQL({ typeDefs, driver, resolvers: { Instant } });
const schema = await neoSchema.getSchema();
if (process.argv.includes("--print-schema")) {
  const { printSchema } = await import("graphql");
  console.log(printSchema(schema));
  await driver.close();
  process.exit(0);
}
const server = new ApolloServer({ schema, introspection: true });
const port = Number(process.env.PORT || 4000);
const { url } = await startStandaloneServer(server, {
  listen: { port, host: process.env.HOST || "127.0.0.1" },
  context: async () => ({
    sessionConfig: { defaultAccessMode: "READ" },
    cypherQueryOptions: { addVersionPrefix: true },
  }),
});
console.log(`@neo4j/graphql ready at ${url}`);
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
  });
}
