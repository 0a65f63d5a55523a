using System;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DigestTools.TestServers;

namespace DigestTools.Tests.Pinning
{
    /// <summary>Waits on the fault proxy's request log: how a test acts at a known point of a workflow in flight.</summary>
    internal static class ProxyLog
    {
        /// <summary>The <paramref name="nth"/> request (1-based) with this method whose path and query match the pattern.</summary>
        public static async Task<RequestLogEntry> SeenAsync(FaultServer proxy, string method, string pathPattern, int nth = 1)
        {
            for (DateTime deadline = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < deadline; await Task.Delay(20))
            {
                RequestLogEntry hit = proxy.Requests.Where(r => r.Method == method && Regex.IsMatch(r.Path, pathPattern)).Skip(nth - 1).FirstOrDefault();
                if (hit != null) return hit;
            }
            throw new TimeoutException($"The proxy never saw request {nth} of {method} {pathPattern}.");
        }
    }
}
