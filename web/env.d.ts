// Example nets bundled as text by esbuild's text loader (web/build.mjs).
declare module '*.prototxt' {
  const text: string;
  export default text;
}
declare module '*.py' {
  const text: string;
  export default text;
}
