// ES module: import model from "./export-default.mjs"
const url = `https://example.com/{neurons}/${ {id: 1}.id }`;
const pattern = /[{}]+/g;
export default {"neurons":[{"trace":{"elegibility":{},"extended":{}},"state":0,"old":0,"activation":0,"bias":0,"layer":"input","squash":"LOGISTIC"},{"trace":{"elegibility":{},"extended":{}},"state":0,"old":0,"activation":0,"bias":-2,"layer":"output","squash":"LOGISTIC"}],"connections":[{"from":0,"to":1,"weight":7,"gater":null}]};
