// bottleneck ships types for its main entry only; `light.js` is the same class without the
// Redis clustering code, which is what @octokit/plugin-throttling itself loads.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
