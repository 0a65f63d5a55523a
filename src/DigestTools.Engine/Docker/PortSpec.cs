using System;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.Docker
{
    /// <summary>One published port, parsed from docker's -p grammar: [ip:][hostPort:]containerPort[/tcp|udp|sctp].</summary>
    public sealed class PortSpec
    {
        public string HostIp { get; private set; }

        /// <summary>Empty when the engine should choose the host port.</summary>
        public string HostPort { get; private set; }
        public int ContainerPort { get; private set; }
        public string Protocol { get; private set; }

        /// <summary>The engine's key for the port: "80/tcp".</summary>
        public string Key => ContainerPort + "/" + Protocol;

        /// <exception cref="FailureException">InvalidPublishSpec.</exception>
        public static PortSpec Parse(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) throw Invalid(text, "it is empty");
            string body = text.Trim();
            string protocol = "tcp";
            int slash = body.LastIndexOf('/');
            if (slash >= 0)
            {
                protocol = body.Substring(slash + 1).ToLowerInvariant();
                body = body.Substring(0, slash);
                if (protocol != "tcp" && protocol != "udp" && protocol != "sctp") throw Invalid(text, $"'{protocol}' is not tcp, udp or sctp");
            }

            string ip = string.Empty, hostPort = string.Empty, containerPort;
            // An IPv6 host address comes bracketed: [::1]:8080:80
            if (body.StartsWith("[", StringComparison.Ordinal))
            {
                int close = body.IndexOf(']');
                if (close < 0 || close + 1 >= body.Length || body[close + 1] != ':') throw Invalid(text, "the bracketed address is not followed by ':'");
                ip = body.Substring(1, close - 1);
                body = body.Substring(close + 2);
                string[] rest = body.Split(':');
                if (rest.Length != 2) throw Invalid(text, "an address needs host and container ports");
                hostPort = rest[0];
                containerPort = rest[1];
            }
            else
            {
                string[] parts = body.Split(':');
                switch (parts.Length)
                {
                    case 1: containerPort = parts[0]; break;
                    case 2: hostPort = parts[0]; containerPort = parts[1]; break;
                    case 3: ip = parts[0]; hostPort = parts[1]; containerPort = parts[2]; break;
                    default: throw Invalid(text, "too many ':' separators");
                }
            }

            if (!int.TryParse(containerPort, out int port) || port < 1 || port > 65535) throw Invalid(text, $"container port '{containerPort}' is not 1-65535");
            if (hostPort.Length > 0 && (!int.TryParse(hostPort, out int hp) || hp < 0 || hp > 65535)) throw Invalid(text, $"host port '{hostPort}' is not 0-65535");
            return new PortSpec { HostIp = ip, HostPort = hostPort, ContainerPort = port, Protocol = protocol };
        }

        private static FailureException Invalid(string text, string why)
            => new FailureException(ErrorCatalog.InvalidPublishSpec, $"The port '{text}' cannot be published: {why}. Use [ip:][hostPort:]containerPort[/protocol].");
    }
}
