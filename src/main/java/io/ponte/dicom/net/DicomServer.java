package io.ponte.dicom.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A DICOM acceptor: a TCP listener handing each connection to its own thread from a bounded pool.
 * The pool has a few more threads than {@code maxAssociations} so that the association one over the
 * limit still gets a proper A-ASSOCIATE-RJ (transient, local limit exceeded) rather than a silent
 * reset; beyond that, new connections are closed at once.
 */
public final class DicomServer implements Closeable {

  private static final Logger LOG = Logger.getLogger(DicomServer.class.getName());
  private static final int REJECTING_THREADS = 4;

  private final AcceptorConfig config;
  private final StoreHandler storeHandler;
  private final QueryRetrieveHandler queryRetrieveHandler;
  private final AssociationMonitor monitor;
  private final Semaphore associationSlots;
  private final ThreadPoolExecutor executor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private ServerSocket serverSocket;
  private Thread acceptor;
  private volatile boolean stopping;

  public DicomServer(AcceptorConfig config, StoreHandler storeHandler, AssociationMonitor monitor) {
    this(config, storeHandler, null, monitor);
  }

  /**
   * An acceptor serving C-STORE through {@code storeHandler} and C-FIND/C-GET/C-MOVE through {@code
   * queryRetrieveHandler}; either may be null (that service is then not offered).
   */
  public DicomServer(
      AcceptorConfig config,
      StoreHandler storeHandler,
      QueryRetrieveHandler queryRetrieveHandler,
      AssociationMonitor monitor) {
    this.config = config;
    this.storeHandler = storeHandler;
    this.queryRetrieveHandler = queryRetrieveHandler;
    this.monitor = monitor == null ? AssociationMonitor.NONE : monitor;
    this.associationSlots = new Semaphore(config.maxAssociations());
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            0,
            config.maxAssociations() + REJECTING_THREADS,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "dicom-association-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Binds and starts accepting; {@code port} 0 picks a free port (see {@link #port()}). */
  public synchronized void start(InetAddress bindAddress, int port) throws IOException {
    if (serverSocket != null) {
      throw new IllegalStateException("already started");
    }
    ServerSocket ss = new ServerSocket();
    ss.setReuseAddress(true);
    ss.bind(new InetSocketAddress(bindAddress, port), 128);
    serverSocket = ss;
    acceptor = new Thread(this::acceptLoop, "dicom-acceptor-" + ss.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
    LOG.info(
        () -> "DICOM acceptor " + config.aeTitle() + " listening on " + ss.getLocalSocketAddress());
  }

  public int port() {
    return serverSocket.getLocalPort();
  }

  public boolean isListening() {
    return serverSocket != null && !serverSocket.isClosed();
  }

  /** Associations currently established (after A-ASSOCIATE-AC). */
  public int activeAssociations() {
    return config.maxAssociations() - associationSlots.availablePermits();
  }

  private void acceptLoop() {
    while (!stopping) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (!stopping) {
          LOG.warning("accept failed: " + e.getMessage());
        }
        continue;
      }
      try {
        socket.setTcpNoDelay(true);
        open.add(socket);
        executor.execute(
            () -> {
              try {
                new Association(
                        socket,
                        config,
                        storeHandler,
                        queryRetrieveHandler,
                        monitor,
                        associationSlots)
                    .run();
              } finally {
                open.remove(socket);
              }
            });
      } catch (RejectedExecutionException | SocketException e) {
        open.remove(socket);
        monitor.aborted(socket.getInetAddress().getHostAddress(), "too many connections");
        closeQuietly(socket);
      }
    }
  }

  /**
   * Stops accepting, lets running associations finish for up to {@code grace}, then closes what is
   * left (their peers see the transport close and do not get a success status for anything
   * unanswered).
   */
  public void stop(java.time.Duration grace) {
    stopping = true;
    if (serverSocket != null) {
      closeQuietly(serverSocket);
    }
    executor.shutdown();
    try {
      if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        open.forEach(DicomServer::closeQuietly);
        executor.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      open.forEach(DicomServer::closeQuietly);
    }
  }

  @Override
  public void close() {
    stop(java.time.Duration.ofSeconds(5));
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing on the way out
    }
  }
}
