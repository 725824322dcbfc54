
// ---------------------------------------------------------------------------
// html target: the network runs in this page, with the JavaScript runtime above.
{
  const network = loadNetwork(readBlock("synjson-model"));
  window.synjson = startPage(network, network);
}
