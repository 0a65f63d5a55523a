using System.Runtime.InteropServices;

namespace DigestTools.TestServers;

/// <summary>
/// dotnet DigestTools.TestServers.dll proxy --upstream 127.0.0.1:5000 [--port N] [--tag TEXT]
/// dotnet DigestTools.TestServers.dll echo [--port N] [--tag TEXT]
/// The first stdout line is the base URL (http://127.0.0.1:port), so a script can wait for it.
/// --tag is ignored: it lets the test environment find the processes it started by command line.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("proxy" or "echo"))
        {
            Console.Error.WriteLine("usage: proxy --upstream host:port [--port N] | echo [--port N]");
            return 2;
        }
        string? Option(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        var upstream = args[0] == "proxy" ? Option("--upstream") : null;
        if (args[0] == "proxy" && upstream is null)
        {
            Console.Error.WriteLine("proxy needs --upstream host:port");
            return 2;
        }
        var port = int.TryParse(Option("--port"), out var p) ? p : 0;

        await using var server = new FaultServer(upstream, port);
        server.Start();
        Console.Out.WriteLine(server.BaseUri.ToString().TrimEnd('/'));
        Console.Out.Flush();

        var stop = new TaskCompletionSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        await stop.Task;
        return 0;
    }
}
