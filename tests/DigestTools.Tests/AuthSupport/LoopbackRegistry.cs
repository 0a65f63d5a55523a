using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;

namespace DigestTools.Tests.AuthSupport
{
    /// <summary>The real CNCF registry (docker-registry serve) on a free loopback port, stopped by PID.</summary>
    public sealed class LoopbackRegistry : IDisposable
    {
        private readonly Process _process;

        public LoopbackRegistry(string directory, string dataDirectory, string authYaml = null)
        {
            Directory.CreateDirectory(directory);
            int port = FreePort();
            Authority = "127.0.0.1:" + port;
            string config = Path.Combine(directory, "registry.yml");
            File.WriteAllText(config,
                "version: 0.1\n" +
                "log: { level: warn, accesslog: { disabled: true } }\n" +
                "storage: { filesystem: { rootdirectory: '" + dataDirectory + "' }, delete: { enabled: true }, maintenance: { uploadpurging: { enabled: false } } }\n" +
                "http: { addr: '" + Authority + "', secret: '" + Guid.NewGuid().ToString("N") + "' }\n" +
                (authYaml == null ? string.Empty : "auth:\n" + authYaml));
            var start = new ProcessStartInfo("docker-registry", "serve " + config)
            {
                UseShellExecute = false,
                RedirectStandardOutput = false,
                RedirectStandardError = false,
            };
            // The registry logs to stderr; keep it in a file next to the config for post-mortems.
            start.RedirectStandardError = true;
            _process = Process.Start(start);
            var log = File.CreateText(Path.Combine(directory, "registry.log"));
            _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (log) { log.WriteLine(e.Data); log.Flush(); } };
            _process.BeginErrorReadLine();
            WaitUntilReady();
        }

        public string Authority { get; }

        public static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private void WaitUntilReady()
        {
            using (var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) })
            {
                var deadline = DateTime.UtcNow.AddSeconds(15);
                while (DateTime.UtcNow < deadline)
                {
                    if (_process.HasExited) throw new InvalidOperationException("docker-registry exited with " + _process.ExitCode);
                    try
                    {
                        var status = client.GetAsync("http://" + Authority + "/v2/").GetAwaiter().GetResult().StatusCode;
                        if (status == HttpStatusCode.OK || status == HttpStatusCode.Unauthorized) return;
                    }
                    catch (HttpRequestException) { }
                    Thread.Sleep(100);
                }
            }
            Dispose();
            throw new TimeoutException("docker-registry on " + Authority + " did not become ready");
        }

        public void Dispose()
        {
            try { if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(5000); } }
            catch (InvalidOperationException) { }
            _process.Dispose();
        }
    }
}
