import { userError } from "../model";
import { main } from "../tools/cli";

// The local gateway lands with issue #4; until then `npm run dev` says so instead of pretending.
main(async () => {
  throw userError("the local gateway is not built yet (issue #4). Meanwhile: npm run plan -- --stack aws-dev");
});
