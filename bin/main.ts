#!/usr/bin/env node
/**
 * Synthesizes every stack of every environment into cdktf.out/ and prints the
 * capacity plans. Run through `npm run synth` (plain node on transpiled
 * JavaScript) or `cdktf synth` (same entry, see cdktf.json).
 */
import { main } from "../stacks/app";

process.exitCode = main();
