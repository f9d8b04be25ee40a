// The parity fixture's client (a class with a resolution identity), for the tests that drive it.
export { FakeClient, OtherClient, fakeFactory } from "../../fixtures/transformer/parity/src/fake-client.js";
