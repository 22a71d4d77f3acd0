var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "Cacheweave web API example: coming with the interception work.");
app.Run();
