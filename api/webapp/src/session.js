// The API key lives in sessionStorage (this tab only, gone when it closes) and memory;
// it is sent only in the Authorization header.
const STORAGE = "riskgraph.key";

export const session = {
  key: () => sessionStorage.getItem(STORAGE),
  signIn: (key) => sessionStorage.setItem(STORAGE, key),
  signOut: () => sessionStorage.removeItem(STORAGE),
};
