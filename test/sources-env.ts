// jest project `sources` (jest.config.js): the component helpers load the TypeScript sources, not dist/.
process.env.WEBRTC_ROOM_SOURCES = '1';
