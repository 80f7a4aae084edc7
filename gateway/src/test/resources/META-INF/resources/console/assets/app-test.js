document.title = "console de teste";
