export { privateAddressReason, forbiddenNameReason, isLoopbackHost } from './addresses';
export { DestinationPolicy, DestinationRefusedError, type DestinationPolicyOptions, type ResolvedAddress, type Resolver } from './destination-policy';
