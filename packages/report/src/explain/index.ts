// The whole chain per host: NIC → bond → VLAN → bridge → container interface → network/VIP.
export * from './host-chain';
export * from './from-environment';
export * from './format-chain';
