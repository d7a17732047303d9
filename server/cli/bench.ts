// Placeholder until the benchmark issue ("Scale, benchmarks and fault tolerance") lands: it says so and exits
// with success, so that `npm run bench` is a known command from day one.
console.log('npm run bench: no benchmarks yet — they arrive with the scale & benchmark issue.');
