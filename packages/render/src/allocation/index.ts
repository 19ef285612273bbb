// What OpenStack-Ansible's inventory generator will do on a site (runner-side preview).
export {
  EMPTY_INVENTORY,
  readInventory,
  type InventoryHost,
  type InventoryInterface,
  type InventoryView,
  type ReadInventoryResult,
} from './osa-inventory';
export {
  allocationUnchanged,
  previewAllocation,
  type AllocationPreview,
  type ContainerChange,
  type GroupChange,
  type PreviewAllocationOptions,
  type StaleAddress,
} from './allocation-diff';
export { addressInCidr, addressNetworksFromUserConfig, type AddressNetwork } from './address-networks';
export {
  allocationToJson,
  formatAllocationMarkdown,
  formatAllocationText,
  RANDOM_DRAW_NOTE,
} from './format-allocation';
