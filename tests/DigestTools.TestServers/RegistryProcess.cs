using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DigestTools.TestServers;

/// <summary>
/// The real CNCF registry (docker-registry serve) on a free loopback port, deletes enabled: the one
/// launcher behind xunit fixtures and Pester's Start-TestRegistry. Started through `sh -c exec` so the PID
/// is the registry's own and its log goes to a file (no pipe tying it to this process); stopped by PID.
/// </summary>
public sealed class RegistryProcess : IDisposable
{
    private readonly Process _process;

    private RegistryProcess(Process process, string address, string directory, string configPath, string dataPath, string logPath)
    {
        _process = process;
        Address = address;
        Directory = directory;
        ConfigPath = configPath;
        DataPath = dataPath;
        LogPath = logPath;
    }

    /// <summary>"127.0.0.1:port".</summary>
    public string Address { get; }
    public string Directory { get; }
    public string ConfigPath { get; }
    public string DataPath { get; }
    public string LogPath { get; }
    public int Pid => _process.Id;

    /// <param name="directory">where registry.yml and registry.log go (created when missing).</param>
    /// <param name="dataPath">the storage root; default directory/data. Registries may share one.</param>
    /// <param name="authYaml">the lines under `auth:`, each indented by two spaces; null for anonymous.</param>
    public static RegistryProcess Start(string directory, string? dataPath = null, string? authYaml = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        dataPath ??= Path.Combine(directory, "data");
        var address = "127.0.0.1:" + FreePort();
        var configPath = Path.Combine(directory, "registry.yml");
        var logPath = Path.Combine(directory, "registry.log");
        File.WriteAllText(configPath,
            "version: 0.1\n" +
            "log: { level: info, accesslog: { disabled: true } }\n" +
            $"storage: {{ filesystem: {{ rootdirectory: '{dataPath}' }}, delete: {{ enabled: true }}, maintenance: {{ uploadpurging: {{ enabled: false }} }} }}\n" +
            $"http: {{ addr: '{address}', secret: '{Guid.NewGuid():N}' }}\n" +
            (authYaml is null ? "" : "auth:\n" + authYaml.TrimEnd('\n') + "\n"));
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in new[] { "-c", "exec docker-registry serve \"$1\" >>\"$2\" 2>&1 </dev/null", "sh", configPath, logPath })
            start.ArgumentList.Add(argument);
        var registry = new RegistryProcess(Process.Start(start)!, address, directory, configPath, dataPath, logPath);
        try { registry.WaitUntilReady(TimeSpan.FromSeconds(20)); }
        catch
        {
            registry.Dispose();
            throw;
        }
        return registry;
    }

    /// <summary>
    /// Ends the registry when this process exits without disposing it (a test host killed by Stryker or vstest
    /// on a timeout): a small shell watcher polls both PIDs once a second and leaves when the registry is gone.
    /// Opt-in: the suite's shared registry outlives the pwsh that starts it.
    /// </summary>
    public void EndWithThisProcess()
    {
        var watch = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in new[] { "-c", "exec >/dev/null 2>&1 </dev/null; while kill -0 \"$1\"; do kill -0 \"$2\" || exit 0; sleep 1; done; kill \"$2\"",
            "sh", Environment.ProcessId.ToString(), Pid.ToString() })
            watch.ArgumentList.Add(argument);
        Process.Start(watch)!.Dispose();
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        try { return ((IPEndPoint)probe.LocalEndpoint).Port; }
        finally { probe.Stop(); }
    }

    private void WaitUntilReady(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}. Log tail:\n{LogTail()}");
            try
            {
                var status = client.GetAsync($"http://{Address}/v2/").GetAwaiter().GetResult().StatusCode;
                // 401: a registry with auth is up and asking for credentials.
                if (status is HttpStatusCode.OK or HttpStatusCode.Unauthorized) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            Thread.Sleep(50);
        }
        throw new TimeoutException($"docker-registry on {Address} did not answer within {timeout.TotalSeconds} s. Log tail:\n{LogTail()}");
    }

    private string LogTail() => File.Exists(LogPath) ? string.Join("\n", File.ReadLines(LogPath).TakeLast(25)) : "(no log)";

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException) { /* already gone */ }
        _process.Dispose();
    }
}
