import { createCorralApp } from '../lib/infra/corral-app.js';

// The account and Region of the caller's credentials: context lookups (corral:vpcId) need them.
createCorralApp({
  stack: {
    env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
  },
});
