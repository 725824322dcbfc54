var net = {neurons: [{bias: Math.random(), layer: "input"}], connections: []};
