# Placeholder until tests/DigestTools.TestServers lands (next commit).
function Get-FaultProxyAssembly { $null }
function Start-FaultProxy { throw 'Start-FaultProxy: not yet available.' }
function Stop-FaultProxy { }
function Set-FaultRule { throw 'Set-FaultRule: not yet available.' }
function Clear-FaultRule { throw 'Clear-FaultRule: not yet available.' }
function Get-ProxyRequest { throw 'Get-ProxyRequest: not yet available.' }
function Clear-ProxyRequest { throw 'Clear-ProxyRequest: not yet available.' }
function Start-EchoServer { throw 'Start-EchoServer: not yet available.' }
