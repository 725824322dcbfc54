// Saved from the browser console with JSON.stringify(net.toJSON())
var net = {"neurons":[{"trace":{"elegibility":{},"extended":{}},"state":0,"old":0,"activation":0,"bias":0,"layer":"input","squash":"LOGISTIC"},{"trace":{"elegibility":{},"extended":{}},"state":0,"old":0,"activation":0,"bias":-2,"layer":"output","squash":"LOGISTIC"}],"connections":[{"from":0,"to":1,"weight":7,"gater":null}]};
var trained = synaptic.Network.fromJSON(net);
