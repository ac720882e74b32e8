/**
 * The lazy AWS adapter now lives in runtime/aws-lambda-lazy.ts (complete: secrets, CORS, trace id);
 * this re-export keeps bench/builds.ts and bench/run.ts working unchanged.
 */
export { lazyLambdaHandler } from "../runtime/aws-lambda-lazy";
