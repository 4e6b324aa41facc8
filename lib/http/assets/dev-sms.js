// The dev inbox follows new messages; a timer instead of <meta refresh>, which screen readers cannot stop.
setTimeout(() => window.location.reload(), 3000);
